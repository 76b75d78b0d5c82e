import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Chromium, signIn } from '../support/browser';
import { baseUrl, DEMO, SCREENSHOTS_DIR, systemUnderTest } from '../support/e2e-env';
import { asOperator, demoGateway, postGatewayBatch, readDemoManifest } from '../support/system';

const HTTP_GATEWAY = 'GW-DEMO-HTTP-01';

describe('alerts in the browser', () => {
  let chromium: Chromium;
  let ruleId: string | null = null;

  beforeAll(async () => {
    chromium = await Chromium.launch();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    if (ruleId) await asOperator('DELETE', `alert-rules/${ruleId}`);
    await chromium?.close();
  });

  it('an alert raised by a reading ingested through the API is listed, counted on the bell, and acknowledged with a note', async () => {
    const gateway = demoGateway(readDemoManifest(systemUnderTest().manifestPath), HTTP_GATEWAY);
    const meter = gateway.meters[0];
    const ruleName = `E2E power above 9 kW ${Date.now()}`;
    const created = await asOperator('POST', 'alert-rules', {
      name: ruleName,
      scope: { meterId: meter.id },
      parameter: 'power_w',
      condition: 'above',
      threshold: 9000,
      severity: 'critical',
      channels: ['in_app'],
    });
    expect(created.status).toBe(201);
    ruleId = (created.body as { id: string }).id;

    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');
    await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor();
    await page.getByTestId('active-critical').waitFor();
    const criticalBefore = await criticalCount(page);

    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    const status = await postGatewayBatch(baseUrl(), gateway, at, [
      { meter_id: meter.id, parameter: 'power_w', value: 9999, unit: 'W', timestamp: at },
    ]);
    expect(status).toBe(202);

    // The in-app notification arrives live on the bell, without a reload.
    await page.getByTestId('unread-count').waitFor({ timeout: 15_000 });
    // And on the dashboard: one more critical alert, and the event among the recent ones.
    await page.waitForFunction(
      (before) => {
        const text = document.querySelector('[data-testid="active-critical"]')?.textContent ?? '';
        return Number(/(\d+)\s*$/.exec(text.trim())?.[1] ?? 0) > before;
      },
      criticalBefore,
      { timeout: 15_000 },
    );
    await page
      .getByTestId('dashboard-events')
      .filter({ hasText: 'alert.triggered' })
      .waitFor({ timeout: 15_000 });

    await page.getByTestId('nav-alerts').click();
    const row = page.getByTestId('alert-row').filter({ hasText: ruleName });
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('alert-status').filter({ hasText: 'active' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'alerts-1440x900.png'), fullPage: true });

    await row.getByTestId('alert-link').click();
    await page.getByTestId('alert-title').filter({ hasText: ruleName }).waitFor();
    await page.getByTestId('alert-acknowledge').click();
    await page.getByTestId('alert-note').fill('On my way to the plant room');
    await page.getByTestId('alert-note-confirm').click();
    await page.getByTestId('alert-detail-status').filter({ hasText: 'acknowledged' }).waitFor();
    await page
      .getByTestId('alert-timeline')
      .filter({ hasText: 'Acknowledged: “On my way to the plant room”' })
      .waitFor();
    await page.screenshot({
      path: join(SCREENSHOTS_DIR, 'alert-1440x900.png'),
      fullPage: true,
    });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: '← All alerts' }).click();
    // On a phone the status column folds into the alert's cell.
    await page
      .getByTestId('alert-row')
      .filter({ hasText: ruleName })
      .filter({ hasText: 'acknowledged' })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'alerts-390x844.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('ticket chat in the browser', () => {
  let first: Chromium;
  let second: Chromium;

  beforeAll(async () => {
    // Two browsers: two profiles, two sessions, two sockets.
    first = await Chromium.launch();
    second = await Chromium.launch();
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('a message sent in one browser appears in the other without a reload', async () => {
    const subject = `E2E chat ${Date.now()}`;
    const created = await asOperator('POST', 'tickets', {
      subject,
      description: 'The UPS alarm keeps beeping',
    });
    expect(created.status).toBe(201);
    const ticketId = (created.body as { id: string }).id;

    const { page: reader, pageErrors: readerErrors } = await first.newPage();
    await reader.setViewportSize({ width: 1440, height: 900 });
    await signIn(reader, DEMO.ownerEmail);
    await reader.waitForURL('**/overview');
    await reader.getByTestId('nav-tickets').click();
    await reader.getByTestId('ticket-row').filter({ hasText: subject }).waitFor();
    await reader.getByTestId('ticket-link').filter({ hasText: subject }).click();
    await reader.getByTestId('ticket-title').filter({ hasText: subject }).waitFor();
    await reader.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor();
    await reader.evaluate(() => Object.assign(window, { gridwatchLiveProbe: true }));
    await reader.waitForTimeout(500); // the ticket room's subscription is acknowledged

    const { page: writer, pageErrors: writerErrors } = await second.newPage();
    await signIn(writer, DEMO.operatorEmail);
    await writer.waitForURL('**/overview');
    await writer.goto(`/tickets/${ticketId}`);
    await writer.getByTestId('ticket-title').filter({ hasText: subject }).waitFor();
    const text = 'Replaced the UPS battery, please check';
    await writer.getByTestId('ticket-draft').fill(text);
    await writer.getByTestId('ticket-send').click();
    await writer.getByTestId('ticket-message').filter({ hasText: text }).waitFor();

    await reader
      .getByTestId('ticket-message')
      .filter({ hasText: text })
      .waitFor({ timeout: 5_000 });
    expect(await reader.evaluate(() => 'gridwatchLiveProbe' in window)).toBe(true);
    await reader.screenshot({ path: join(SCREENSHOTS_DIR, 'ticket-1440x900.png'), fullPage: true });
    await reader.setViewportSize({ width: 390, height: 844 });
    await reader.getByTestId('nav-toggle').waitFor();
    await reader.waitForTimeout(500); // the side navigation has finished sliding away
    await reader.screenshot({ path: join(SCREENSHOTS_DIR, 'ticket-390x844.png'), fullPage: true });
    expect(readerErrors).toEqual([]);
    expect(writerErrors).toEqual([]);
  });
});

/** The dashboard's count of active critical alerts. */
async function criticalCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('active-critical').textContent()) ?? '';
  return Number(/(\d+)\s*$/.exec(text.trim())?.[1] ?? 0);
}
