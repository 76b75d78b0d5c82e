import { Chromium, pathOf, signIn, textOf } from '../support/browser';
import { DEMO } from '../support/e2e-env';

describe('sign-in', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it("shows the API's message for a wrong password and stays on /login", async () => {
    const { page, pageErrors } = await chromium.newPage();

    await signIn(page, DEMO.viewerEmail, 'not-the-password');

    await page.getByTestId('login-error').waitFor();
    expect(await textOf(page, 'login-error')).toBe('Email or password is incorrect');
    expect(pathOf(page)).toBe('/login');
    expect(await page.getByTestId('login-submit').isEnabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('sends a visitor without a session from a deep link to /login and back after signing in', async () => {
    const { page } = await chromium.newPage();

    await page.goto('/overview');
    await page.waitForURL('**/login?returnUrl=%2Foverview');
    await page.getByLabel('Email').fill(DEMO.viewerEmail);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByTestId('login-submit').click();

    await page.waitForURL('**/overview');
    expect(await textOf(page, 'org-name')).toBe(DEMO.organizationName);
  });
});
