import type { Page } from 'playwright-core';
import { Chromium, pathOf, signIn, textOf } from '../support/browser';
import { DEMO } from '../support/e2e-env';

const SESSION_KEY = 'gridwatch.session';

describe('session', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it('survives a reload of a deep link; signing out ends it and guards /overview again', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');

    await page.goto('/overview');
    await page.reload();
    await page.getByTestId('org-name').waitFor();
    expect(pathOf(page)).toBe('/overview');
    expect(await textOf(page, 'org-name')).toBe(DEMO.organizationName);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/login');
    expect(await storedSession(page)).toBeNull();

    await page.goto('/overview');
    await page.waitForURL('**/login?returnUrl=%2Foverview');
    await page.getByTestId('login-submit').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('renews a rejected access token with the refresh token and keeps the user signed in', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');
    const before = await storedSession(page);

    // As if the access token had expired: the API answers 401 invalid_token for it.
    await page.evaluate((key) => {
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}') as Record<string, string>;
      sessionStorage.setItem(key, JSON.stringify({ ...session, accessToken: 'expired.token.x' }));
    }, SESSION_KEY);
    await page.reload();

    await page.getByTestId('org-name').waitFor();
    expect(pathOf(page)).toBe('/overview');
    const after = await storedSession(page);
    expect(after?.refreshToken).toBeTruthy();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(pageErrors).toEqual([]);
  });
});

async function storedSession(
  page: Page,
): Promise<{ accessToken: string; refreshToken: string } | null> {
  const raw = await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY);
  return raw ? (JSON.parse(raw) as { accessToken: string; refreshToken: string }) : null;
}
