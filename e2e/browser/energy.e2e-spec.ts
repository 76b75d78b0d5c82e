import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Chromium, signIn } from '../support/browser';
import { baseUrl, DEMO, SCREENSHOTS_DIR, systemUnderTest } from '../support/e2e-env';
import {
  asOperator,
  demoGateway,
  postGatewayBatch,
  readDemoManifest,
  type BatchReading,
} from '../support/system';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const HTTP_GATEWAY = 'GW-DEMO-HTTP-01';
const HOUR = 3600_000;

/** The ingested meter's energy counter as last sent, for a later reading to continue. */
interface LastCounter {
  gateway: ReturnType<typeof demoGateway>;
  meterId: string;
  counter: number;
}

/**
 * Two days of hourly readings for the London site's main incomer (a site's totals count its
 * incomer only: the other meters are behind it; the other specs send it power, never an energy
 * counter): its energy counter and its power, 4 kW from 08:00 to 18:00 UTC and 1.5 kW otherwise (waste out of hours). Waits
 * until the rollups answer for them, so the page opens on figures rather than zeros.
 */
async function ingestTwoDays(): Promise<LastCounter> {
  const gateway = demoGateway(readDemoManifest(systemUnderTest().manifestPath), HTTP_GATEWAY);
  const meter = gateway.meters.find((candidate) => candidate.kind === 'main') ?? gateway.meters[0];
  const now = Date.now();
  const start = Math.floor(now / HOUR) * HOUR - 47 * HOUR;
  const readings: BatchReading[] = [];
  let counter = 5000;
  for (let index = 0; index < 48; index++) {
    const at = new Date(start + index * HOUR);
    const kw = at.getUTCHours() >= 8 && at.getUTCHours() < 18 ? 4 : 1.5;
    counter += kw;
    const timestamp = at.toISOString();
    readings.push(
      { meter_id: meter.id, parameter: 'energy_kwh', value: counter, unit: 'kWh', timestamp },
      { meter_id: meter.id, parameter: 'power_w', value: kw * 1000, unit: 'W', timestamp },
    );
  }
  const sentAt = new Date(Math.floor(now / 1000) * 1000 - 1000).toISOString();
  expect(await postGatewayBatch(baseUrl(), gateway, sentAt, readings)).toBe(202);

  const { siteId } = (await asOperator('GET', `meters/${meter.id}`)).body as { siteId: string };
  const query = new URLSearchParams({
    scope: 'site',
    id: siteId,
    from: new Date(start).toISOString(),
    to: new Date(now).toISOString(),
    interval: 'day',
  });
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const answer = await asOperator('GET', `analytics/consumption?${query.toString()}`);
    const items = (answer.body as { items?: { energyKwh: number }[] }).items ?? [];
    if (items.some((item) => item.energyKwh > 0)) return { gateway, meterId: meter.id, counter };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the ingested readings never reached the consumption figures');
}

describe('energy page in the browser', () => {
  let chromium: Chromium;
  let last: LastCounter;

  beforeAll(async () => {
    chromium = await Chromium.launch();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    last = await ingestTwoDays();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it("an owner sets a site's tariff (the API's refusal shown at the band), then sees its cost, and subscribes to its report", async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(DESKTOP);
    await signIn(page, DEMO.ownerEmail);
    await page.waitForURL('**/overview');
    // The dashboard's energy and alert panels, from the same API.
    await page.getByTestId('energy-today-chart').waitFor();
    await page.getByTestId('active-critical').waitFor();
    await page.getByTestId('nav-energy').click();
    await page.waitForURL('**/energy');

    await page.getByTestId('consumption-chart').waitFor();
    await page.getByTestId('energy-total').filter({ hasText: 'kWh' }).waitFor();
    expect(await page.getByTestId('energy-total').textContent()).not.toMatch(/^\s*Energy\s*0 kWh/);
    await page.getByTestId('waste-row').first().waitFor();
    await page.getByTestId('energy-change').waitFor();
    await page.getByTestId('profile-chart').waitFor();
    await page.getByTestId('waste-list').waitFor();

    // The demo seeds a night and a day band: the cost is there, priced by band.
    await page.getByTestId('cost-chart').waitFor();
    expect(await page.getByTestId('cost-no-tariff').count()).toBe(0);

    // The night band alone: the API refuses the gap and names it.
    await page.getByTestId('band-0-1-to').waitFor();
    await page.getByRole('button', { name: 'Remove band 2' }).first().click();
    await page.getByTestId('tariff-save').click();
    const refusal = page.getByTestId('form-error').filter({ hasText: 'Invalid tariff' });
    await refusal.waitFor();

    // A day band closes the gap; the costs appear, priced by band.
    await page.getByTestId('tariff-add-band').click();
    await page.getByTestId('band-0-1-from').fill('07:00');
    await page.getByTestId('band-0-1-to').fill('24:00');
    await page.getByTestId('band-0-1-price').fill('0.3');
    await page.getByTestId('tariff-save').click();
    await refusal.waitFor({ state: 'detached' });
    await page.getByTestId('cost-chart').waitFor();
    await page.getByTestId('cost-bands').waitFor();
    expect(await page.getByTestId('tariff-none').count()).toBe(0);

    await page.getByTestId('energy-compare-year').click();
    await page.getByTestId('energy-change').filter({ hasText: 'a year earlier' }).waitFor();

    await page.getByTestId('subscription-recipients').fill('energy@example.com');
    await page.getByTestId('subscribe').click();
    await page.getByTestId('subscription').filter({ hasText: 'energy@example.com' }).waitFor();

    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'energy-1440x900.png'), fullPage: true });

    await page.setViewportSize(PHONE);
    await page.getByTestId('consumption-chart').waitFor();
    // The charts follow the new width once their resize observer fires: no sideways scroll then.
    await page.waitForFunction(
      () => document.documentElement.scrollWidth <= document.documentElement.clientWidth,
      undefined,
      { timeout: 5000 },
    );
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'energy-390x844.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('a viewer sees the energy and the tariff but no control to change them', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(DESKTOP);
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');
    await page.goto('/energy');
    await page.getByTestId('consumption-chart').waitFor();
    await page.getByTestId('tariff-form').waitFor();
    expect(await page.getByTestId('tariff-save').count()).toBe(0);
    expect(await page.getByTestId('subscribe').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("the energy figures follow the site's new readings without a reload", async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize(DESKTOP);
    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');
    await page.goto('/energy');
    const total = page.getByTestId('energy-total');
    await total.filter({ hasText: 'kWh' }).waitFor();
    const before = await total.textContent();

    // 250 kWh more on the counter, read just now: today's bar and the total grow.
    const timestamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    last.counter += 250;
    const reading: BatchReading = {
      meter_id: last.meterId,
      parameter: 'energy_kwh',
      value: last.counter,
      unit: 'kWh',
      timestamp,
    };
    expect(await postGatewayBatch(baseUrl(), last.gateway, timestamp, [reading])).toBe(202);
    await page.waitForFunction(
      ([selector, shown]) => document.querySelector(selector)?.textContent !== shown,
      ['[data-testid="energy-total"]', before] as const,
      { timeout: 15_000 },
    );
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

/** Whether the page is wider than the viewport (a phone would scroll it sideways). */
async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
}
