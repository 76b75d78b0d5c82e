import { join } from 'node:path';
import { Chromium, signIn } from '../support/browser';
import { ARTIFACTS_DIR, baseUrl, DEMO, systemUnderTest } from '../support/e2e-env';
import { demoGateway, postGatewayBatch, readDemoManifest } from '../support/system';

const HTTP_GATEWAY = 'GW-DEMO-HTTP-01';

describe('live overview', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it("shows Live, and a reading ingested through REST updates its meter's last seen without a reload", async () => {
    const gateway = demoGateway(readDemoManifest(systemUnderTest().manifestPath), HTTP_GATEWAY);
    // The gateway's last meter: the REST system test sends to its first one.
    const meter = gateway.meters[gateway.meters.length - 1];
    const { page, pageErrors } = await chromium.newPage();

    await signIn(page, DEMO.viewerEmail);
    await page.waitForURL('**/overview');
    await page.getByTestId('live-indicator').filter({ hasText: 'Live' }).waitFor();
    const row = page
      .getByTestId('meter-row')
      .filter({ hasText: new RegExp(`^\\s*${meter.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) });
    await row.waitFor();
    /** The row's "last seen" instant, null while it says "Never". */
    const lastSeen = async () =>
      (await row.locator('time').count()) === 0
        ? null
        : await row.locator('time').getAttribute('datetime');
    const seenBefore = await lastSeen();

    // From here on the page must neither reload nor refetch the list: the update comes live.
    await page.evaluate(() => Object.assign(window, { gridwatchLiveProbe: true }));
    const meterListRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/meters')
        meterListRequests.push(request.url());
    });
    await page.waitForTimeout(500); // the organization room's subscription is acknowledged

    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
    const status = await postGatewayBatch(baseUrl(), gateway, at, [
      { meter_id: meter.id, parameter: 'power_w', value: 1234, unit: 'W', timestamp: at },
    ]);
    expect(status).toBe(202);

    const deadline = Date.now() + 10_000;
    let seenAfter = await lastSeen();
    while (seenAfter === seenBefore && Date.now() < deadline) {
      await page.waitForTimeout(100);
      seenAfter = await lastSeen();
    }
    expect(seenAfter).not.toBeNull();
    expect(Date.parse(seenAfter ?? '')).toBeGreaterThan(Date.parse(seenBefore ?? '1970-01-01'));
    expect((await row.locator('time').textContent())?.trim()).toBe('Just now');
    await row.getByTestId('meter-status').filter({ hasText: 'Online' }).waitFor();
    expect(await page.evaluate(() => 'gridwatchLiveProbe' in window)).toBe(true);
    expect(meterListRequests).toEqual([]);
    expect((await page.getByTestId('live-indicator').textContent())?.trim()).toBe('Live');

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'overview-live.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
