import { readFileSync } from 'node:fs';
import { Chromium, signIn } from '../support/browser';
import { DEMO, systemUnderTest } from '../support/e2e-env';
import { asOperator, demoGateway, readDemoManifest } from '../support/system';

const HTTP_GATEWAY = 'GW-DEMO-HTTP-01';

describe('alert rule editor in the browser', () => {
  let chromium: Chromium;
  const ruleName = `E2E editor rule ${Date.now()}`;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    const rules = await asOperator('GET', 'alert-rules');
    for (const rule of rules.body as { id: string; name: string }[])
      if (rule.name === ruleName) await asOperator('DELETE', `alert-rules/${rule.id}`);
    await chromium?.close();
  });

  it('an operator writes a rule, reads it back in words before saving, and finds it listed', async () => {
    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alert-rules-link').click();
    await page.getByTestId('rule-new').click();

    await page.getByTestId('rule-field-name').fill(ruleName);
    await page.getByTestId('rule-field-threshold').fill('7500');
    await page.getByTestId('rule-field-duration').fill('300');
    await page
      .getByTestId('rule-preview')
      .filter({ hasText: 'Warning alert when Power is above 7500 W for 5 min on every meter.' })
      .waitFor();
    await page.getByTestId('rule-save').click();

    await page.waitForURL('**/alerts/rules');
    const row = page.getByTestId('rule-row').filter({ hasText: ruleName });
    await row.getByTestId('rule-words').filter({ hasText: 'above 7500 W for 5 min' }).waitFor();

    // The export is a file the import takes back.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('rules-export').click(),
    ]);
    const path = await download.path();
    const document = JSON.parse(readFileSync(path, 'utf8')) as { rules: { name: string }[] };
    expect(document.rules.map((rule) => rule.name)).toContain(ruleName);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('ticket detail in the browser', () => {
  let chromium: Chromium;

  beforeAll(async () => {
    chromium = await Chromium.launch();
  });

  afterAll(async () => {
    await chromium?.close();
  });

  it('an operator takes a ticket, attaches a file and downloads it, and captures a snapshot of its meter', async () => {
    const manifest = readDemoManifest(systemUnderTest().manifestPath);
    const meter = demoGateway(manifest, HTTP_GATEWAY).meters[0];
    const subject = `E2E detail ${Date.now()}`;
    const created = await asOperator('POST', 'tickets', {
      subject,
      description: 'The meter reads zero since Monday',
      meterId: meter.id,
    });
    expect(created.status).toBe(201);
    const ticketId = (created.body as { id: string }).id;

    const { page, pageErrors } = await chromium.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');
    await page.goto(`/tickets/${ticketId}`);
    await page.getByTestId('ticket-title').filter({ hasText: subject }).waitFor();

    await page.getByTestId('ticket-assignee').filter({ hasText: 'Unassigned' }).waitFor();
    await page.getByTestId('ticket-assign-me').click();
    await page.getByTestId('ticket-assignee').filter({ hasText: 'You' }).waitFor();

    await page.getByTestId('ticket-file').setInputFiles({
      name: 'meter-photo-notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('CT clamp loose on phase 2\n'),
    });
    await page
      .getByTestId('ticket-file-name')
      .filter({ hasText: 'meter-photo-notes.txt' })
      .waitFor();
    await page.getByTestId('ticket-draft').fill('Notes from the site visit');
    await page.getByTestId('ticket-send').click();
    const attachment = page
      .getByTestId('ticket-attachment')
      .filter({ hasText: 'meter-photo-notes.txt' });
    await attachment.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), attachment.click()]);
    expect(readFileSync(await download.path(), 'utf8')).toBe('CT clamp loose on phase 2\n');

    await page.getByTestId('snapshots-none').waitFor();
    await page.getByTestId('snapshot-capture').click();
    await page.getByTestId('snapshot').filter({ hasText: meter.name }).waitFor();
    await page.getByTestId('snapshot-v1').waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('an operator opens a ticket from a meter page and finds the snapshot of the meter on it', async () => {
    const manifest = readDemoManifest(systemUnderTest().manifestPath);
    const meter = demoGateway(manifest, HTTP_GATEWAY).meters[0];
    const { page, pageErrors } = await chromium.newPage();
    await signIn(page, DEMO.operatorEmail);
    await page.waitForURL('**/overview');
    await page.goto(`/meters/${meter.id}`);
    await page.getByTestId('meter-name').waitFor();
    // The meter's open alerts are listed (or said to be none), never silently missing.
    await page
      .locator('[data-testid="open-alerts"], [data-testid="open-alerts-none"]')
      .first()
      .waitFor();

    await page.getByTestId('open-ticket-subject').fill('E2E: readings look stuck');
    await page.getByTestId('open-ticket').click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await page.getByTestId('snapshot').filter({ hasText: meter.name }).waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
