import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Chromium, signIn } from '../support/browser';
import { baseUrl, DEMO, SCREENSHOTS_DIR, systemUnderTest } from '../support/e2e-env';
import { demoGateway, postGatewayBatch, readDemoManifest } from '../support/system';

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

    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    const status = await postGatewayBatch(baseUrl(), gateway, at, [
      { meter_id: meter.id, parameter: 'power_w', value: 9999, unit: 'W', timestamp: at },
    ]);
    expect(status).toBe(202);

    // The in-app notification arrives live on the bell, without a reload.
    await page.getByTestId('unread-count').waitFor({ timeout: 15_000 });

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
    await page
      .getByTestId('alert-row')
      .filter({ hasText: ruleName })
      .getByTestId('alert-status')
      .filter({ hasText: 'acknowledged' })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'alerts-390x844.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

/** A request to the API as the demo operator; answers the status and the parsed body. */
async function asOperator(
  method: string,
  path: string,
  body?: object,
): Promise<{ status: number; body: unknown }> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: DEMO.operatorEmail, password: DEMO.password }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${baseUrl()}/api/v1/${path}`, {
    method,
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
