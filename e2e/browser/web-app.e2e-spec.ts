import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Chromium, signIn } from '../support/browser';
import { ARTIFACTS_DIR, baseUrl, DEMO, SCREENSHOTS_DIR, systemUnderTest } from '../support/e2e-env';
import {
  demoGateway,
  postGatewayBatch,
  readDemoManifest,
  type BatchReading,
} from '../support/system';

const HTTP_GATEWAY = 'GW-DEMO-HTTP-01';
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The demo HTTP gateway and a meter behind it that the other specs do not send to. */
function demoMeter() {
  const gateway = demoGateway(readDemoManifest(systemUnderTest().manifestPath), HTTP_GATEWAY);
  return { gateway, meter: gateway.meters[1] };
}

/** Whole seconds, a second ago: a reading time the API accepts as not in the future. */
function justNow(offsetMs = 0): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - 1000 - offsetMs).toISOString();
}

async function signedIn(chromium: Chromium, email: string): Promise<Page> {
  const { page } = await chromium.newPage();
  await signIn(page, email);
  await page.waitForURL('**/overview');
  return page;
}

/** Whether the page itself scrolls sideways (a table inside its own scroller does not count). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}

describe('web app', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it.each([
    [DEMO.ownerEmail, { admin: true, write: true }],
    [DEMO.operatorEmail, { admin: false, write: true }],
    [DEMO.viewerEmail, { admin: false, write: false }],
    [DEMO.supportEmail, { admin: false, write: false }],
  ])('%s sees only the controls of the role', async (email, can) => {
    const page = await signedIn(chromium, email);
    await page.getByTestId('nav-meters').waitFor();
    expect(await page.getByTestId('nav-admin').count()).toBe(can.admin ? 1 : 0);

    await page.getByTestId('nav-meters').click();
    await page.getByTestId('meter-list-row').first().waitFor();
    expect(await page.getByTestId('add-meter').count()).toBe(can.write ? 1 : 0);

    await page.getByTestId('meter-link').first().click();
    await page.getByTestId('meter-name').waitFor();
    expect(await page.getByTestId('edit-meter').count()).toBe(can.write ? 1 : 0);
    expect(await page.getByTestId('status-action').count()).toBe(can.write ? 2 : 0);
    await page.close();
  });

  it('refuses a typed edit URL to a viewer, and shows a not-found page for an unknown one', async () => {
    const { meter } = demoMeter();
    const page = await signedIn(chromium, DEMO.viewerEmail);
    await page.goto(`/meters/${meter.id}/edit`);
    await page.waitForURL('**/forbidden');
    await page.getByTestId('page-forbidden').waitFor();
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'forbidden.png') });
    expect(await page.getByTestId('field-name').count()).toBe(0);

    await page.goto('/no-such-page');
    await page.getByTestId('page-not-found').waitFor();
    await page.close();
  });

  it('an operator creates a meter and gets its credential, shown once', async () => {
    const page = await signedIn(chromium, DEMO.operatorEmail);
    await page.goto('/meters/new');
    await page.getByTestId('field-name').fill('E2E heat pump');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'meter-form.png') });
    await page.getByTestId('field-site').click();
    await page.getByRole('option').first().click();
    await page.getByTestId('save').click();

    await page.waitForURL(/\/meters\/[0-9a-f-]{36}$/);
    expect((await page.getByTestId('meter-name').textContent())?.trim()).toBe('E2E heat pump');
    await page.getByTestId('credential-issue').click();
    // The dialog opens before the API's answer fills the secret in.
    await page.waitForFunction(
      () =>
        (document.querySelector<HTMLInputElement>('[data-testid="secret-value"]')?.value ?? '')
          .length > 0,
    );
    const secret = await page.getByTestId('secret-value').inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const meterId = new URL(page.url()).pathname.split('/').pop();
    expect((await page.getByTestId('secret-device-id').textContent())?.trim()).toBe(meterId);
    await page.getByTestId('secret-done').click();
    await page.getByTestId('credential-rotate').waitFor();
    await page.getByTestId('secret-value').waitFor({ state: 'detached' });

    // A status change asks for confirmation and a reason, which the event log keeps.
    await page.getByTestId('status-action').filter({ hasText: 'Start maintenance' }).click();
    await page.getByTestId('status-reason').fill('Replacing the CT clamps');
    await page.getByTestId('status-confirm').click();
    await page.getByTestId('meter-status').filter({ hasText: 'Maintenance' }).waitFor();
    await page.getByTestId('status-action').filter({ hasText: 'End maintenance' }).waitFor();
    await page.close();
    // The other specs count the demo's meters: leave the fleet as it was.
    await deleteAsOperator(`meters/${meterId ?? ''}`);
  });

  it("shows the API's validation messages under the fields of a site form, then saves it", async () => {
    const page = await signedIn(chromium, DEMO.operatorEmail);
    await page.goto('/sites/new');
    await page.getByTestId('field-code').fill('bad code!');
    await page.getByTestId('field-name').fill('E2E depot');
    await page.getByTestId('field-timezone').fill('Europe/London');
    await page.getByTestId('hours-mon-open').fill('08:00');
    await page.getByTestId('save').click();

    await page.getByTestId('form-error').waitFor();
    const errors = page.locator('mat-error');
    await errors.filter({ hasText: /code must be/ }).waitFor();
    await errors.filter({ hasText: /close/ }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'site-form-errors.png'), fullPage: true });

    await page.getByTestId('field-code').fill('E2E-DEPOT');
    await page.getByTestId('hours-mon-close').fill('18:00');
    await page.getByTestId('save').click();
    await page.waitForURL(/\/sites\/[0-9a-f-]{36}$/);
    expect((await page.getByTestId('site-name').textContent())?.trim()).toBe('E2E depot');
    expect((await page.getByTestId('site-hours').textContent())?.trim()).toBe('Mon 08:00–18:00');
    const siteId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await page.close();
    await deleteAsOperator(`sites/${siteId}`);
  });

  it('finds a site, a meter or a gateway from the search box', async () => {
    const { gateway } = demoMeter();
    const page = await signedIn(chromium, DEMO.viewerEmail);
    await page.getByTestId('global-search').fill(gateway.serialNumber);
    await page.getByTestId('search-hit').filter({ hasText: gateway.serialNumber }).click();
    await page.waitForURL(/\/gateways\/[0-9a-f-]{36}$/);
    expect((await page.getByTestId('gateway-name').textContent())?.trim()).not.toBe('');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'gateway.png'), fullPage: true });
    await page.getByTestId('nav-meters').click();
    await page.getByTestId('meter-list-row').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'meters.png'), fullPage: true });
    await page.close();
  });

  it('an owner manages users and reads the event log in Admin; an operator cannot open it', async () => {
    const owner = await signedIn(chromium, DEMO.ownerEmail);
    await owner.getByTestId('nav-admin').click();
    await owner.waitForURL('**/admin/users');
    await owner.getByTestId('user-row').filter({ hasText: DEMO.viewerEmail }).waitFor();
    await owner.screenshot({ path: join(ARTIFACTS_DIR, 'admin-users.png'), fullPage: true });
    await owner.getByRole('tab', { name: 'Event log' }).click();
    await owner.getByTestId('event-row').filter({ hasText: 'user.login' }).first().waitFor();
    await owner.close();

    const operator = await signedIn(chromium, DEMO.operatorEmail);
    await operator.goto('/admin/users');
    await operator.waitForURL('**/forbidden');
    await operator.close();
  });

  it('a reading ingested through the API shows on the meter page within 2 s, as a value and a new chart point', async () => {
    const { gateway, meter } = demoMeter();
    // Some history for the chart: a reading every two minutes over the last hour.
    const history: BatchReading[] = Array.from({ length: 30 }, (_, index) => {
      const at = justNow((30 - index) * 120_000);
      return [
        {
          meter_id: meter.id,
          parameter: 'power_w',
          value: 900 + 15 * index,
          unit: 'W',
          timestamp: at,
        },
        {
          meter_id: meter.id,
          parameter: 'voltage_v',
          value: 229 + (index % 3),
          unit: 'V',
          timestamp: at,
        },
        {
          meter_id: meter.id,
          parameter: 'energy_kwh',
          value: 1000 + 0.5 * index,
          unit: 'kWh',
          timestamp: at,
        },
      ];
    }).flat();
    expect(await postGatewayBatch(baseUrl(), gateway, justNow(), history)).toBe(202);

    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(DESKTOP);
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');
    await page.goto(`/meters/${meter.id}`);
    await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor();
    const chart = page.getByTestId('reading-chart');
    await page.waitForFunction(
      () =>
        Number(
          document.querySelector('[data-testid="reading-chart"]')?.getAttribute('data-points'),
        ) >= 25,
      undefined,
      { timeout: 15_000 },
    );
    const pointsBefore = Number(await chart.getAttribute('data-points'));
    await page.waitForTimeout(500); // the meter room's subscription is acknowledged
    await page.evaluate(() => Object.assign(window, { gridwatchLiveProbe: true }));

    const at = justNow();
    const sentAt = Date.now();
    expect(
      await postGatewayBatch(baseUrl(), gateway, at, [
        { meter_id: meter.id, parameter: 'power_w', value: 1520, unit: 'W', timestamp: at },
      ]),
    ).toBe(202);
    await page
      .getByTestId('live-value-power_w')
      .filter({ hasText: '1520' })
      .waitFor({ timeout: 2000 });
    await page.waitForFunction(
      (before) =>
        Number(
          document.querySelector('[data-testid="reading-chart"]')?.getAttribute('data-points'),
        ) ===
        before + 1,
      pointsBefore,
      { timeout: Math.max(100, 2000 - (Date.now() - sentAt)) },
    );
    expect(await page.evaluate(() => 'gridwatchLiveProbe' in window)).toBe(true);

    await page.getByTestId('daily-chart').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'meter-1440x900.png'), fullPage: true });
    await page.goto('/overview');
    await page.getByTestId('meter-row').first().waitFor();
    await page.getByTestId('dashboard-site').first().waitFor();
    // Today's energy per site is drawn once ECharts (loaded with the page) has rendered.
    await page.locator('[data-testid="energy-today-chart"] canvas').waitFor();
    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'dashboard-1440x900.png'),
      fullPage: true,
    });
    await page.getByTestId('user-menu').click();
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('theme-toggle').waitFor({ state: 'detached' });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'dashboard-1440x900-dark.png') });
    // The choice is remembered (localStorage, shared by this browser's tabs): back to light.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('theme-toggle').click();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("on a phone (390 x 844) a meter's status is visible without scrolling sideways", async () => {
    const { meter } = demoMeter();
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(PHONE);
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');

    const firstRow = page.getByTestId('meter-row').first();
    await firstRow.waitFor();
    await expectWithinViewport(page, firstRow.getByTestId('meter-status'));
    await page.locator('[data-testid="energy-today-chart"] canvas').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'dashboard-390x844.png'), fullPage: true });

    await page.goto('/meters');
    const listRow = page.getByTestId('meter-list-row').first();
    await listRow.waitFor();
    await expectWithinViewport(page, listRow.getByTestId('meter-status'));
    expect(await scrollsSideways(page)).toBe(false);

    await page.goto(`/meters/${meter.id}`);
    await page.getByTestId('meter-name').waitFor();
    await expectWithinViewport(page, page.getByTestId('meter-status').first());
    await page.getByTestId('reading-chart').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'meter-390x844.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

/** Deletes what a test created (`meters/<id>`, `sites/<id>`) through the API as the operator. */
async function deleteAsOperator(path: string): Promise<void> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO.operatorEmail, password: DEMO.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${baseUrl()}/api/v1/${path}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  expect(response.status).toBe(204);
}

async function expectWithinViewport(page: Page, locator: ReturnType<Page['getByTestId']>) {
  await locator.waitFor();
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box).not.toBeNull();
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
}
