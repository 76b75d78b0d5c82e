import { join } from 'node:path';
import { Chromium, signIn, textOf } from '../support/browser';
import { ARTIFACTS_DIR, DEMO } from '../support/e2e-env';

describe('overview', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it("shows the demo viewer their organization, their role and the organization's meters", async () => {
    const { page, pageErrors } = await chromium.newPage();

    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');

    expect(await textOf(page, 'org-name')).toBe(DEMO.organizationName);
    expect(await textOf(page, 'user-role')).toBe('Viewer');
    expect(await textOf(page, 'user-name')).not.toBe('');

    await page.getByTestId('meter-row').first().waitFor();
    expect(await page.getByTestId('meter-row').count()).toBe(DEMO.meterCount);
    expect(await page.getByTestId('meter-status').count()).toBe(DEMO.meterCount);
    expect(await textOf(page, 'count-meters')).toBe(String(DEMO.meterCount));
    expect(await textOf(page, 'count-gateways')).toBe(String(DEMO.gatewayCount));
    expect(await textOf(page, 'count-sites')).toBe(String(DEMO.siteCount));
    expect(await page.getByTestId('overview-error').count()).toBe(0);
    expect(await page.getByTestId('meter-action').count()).toBe(0);

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'overview.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('lets an operator put a meter into maintenance and take it out again', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');

    const kitchen = page.getByTestId('meter-row').filter({ hasText: 'Kitchen' });
    await kitchen.getByRole('button', { name: /^Start maintenance/ }).click();
    await kitchen.getByRole('button', { name: /^End maintenance/ }).waitFor();
    expect(await kitchen.getByTestId('meter-status').textContent()).toContain('Maintenance');

    await page.reload();
    expect(await kitchen.getByTestId('meter-status').textContent()).toContain('Maintenance');
    await kitchen.getByRole('button', { name: /^End maintenance/ }).click();
    await kitchen.getByRole('button', { name: /^Start maintenance/ }).waitFor();
    expect(await kitchen.getByTestId('meter-status').textContent()).toContain('Offline');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'overview-operator.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
