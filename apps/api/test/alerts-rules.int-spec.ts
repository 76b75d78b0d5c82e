import { createTestApp, TestApp } from './support/test-app';
import type { TestUser } from './support/factory';

describe('alert rules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' });
  });
  afterAll(() => t.close());

  const rule = (overrides: Record<string, unknown> = {}) => ({
    name: 'UPS mains low',
    scope: {},
    parameter: 'voltage_v',
    condition: 'below',
    threshold: 200,
    severity: 'critical',
    ...overrides,
  });
  const create = (user: TestUser, body: object) =>
    t.http.post('/api/v1/alert-rules').set('Authorization', user.auth).send(body);

  it('creates, reads, changes and deletes a rule with its defaults and an audit trail', async () => {
    const org = await t.factory.organization();
    const operator = await t.factory.user(org, 'operator');
    const site = await t.factory.site(org);
    const created = await create(operator, rule({ scope: { siteId: site.id } })).expect(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      scope: { siteId: site.id },
      durationSeconds: 0,
      cooldownSeconds: 0,
      channels: ['in_app'],
      recipients: { userIds: [], emails: [], webhookUrl: null },
      autoResolve: true,
      escalation: null,
      repeatMinutes: null,
      schedule: 'always',
      enabled: true,
      hasWebhookSecret: false,
    });
    expect(created.body.webhookSecret).toBeUndefined();
    const id = created.body.id as string;
    const changed = await t.http
      .patch(`/api/v1/alert-rules/${id}`)
      .set('Authorization', operator.auth)
      .send({ threshold: 190, escalation: { afterMinutes: 10, maxLevel: 2 } })
      .expect(200);
    expect(changed.body).toMatchObject({ threshold: 190, escalation: { afterMinutes: 10 } });
    const listed = await t.http
      .get('/api/v1/alert-rules')
      .set('Authorization', operator.auth)
      .expect(200);
    expect(listed.body.map((r: { id: string }) => r.id)).toEqual([id]);
    await t.http
      .delete(`/api/v1/alert-rules/${id}`)
      .set('Authorization', operator.auth)
      .expect(204);
    await t.http.get(`/api/v1/alert-rules/${id}`).set('Authorization', operator.auth).expect(404);
    const events = await t.db.query(
      `SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
      [id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'alert_rule.created',
      'alert_rule.updated',
      'alert_rule.deleted',
    ]);
  });

  it('refuses incomplete rules with the fields named', async () => {
    const operator = await t.factory.user(await t.factory.organization(), 'operator');
    const cases: Array<[object, string]> = [
      [rule({ threshold: undefined }), 'threshold'],
      [rule({ parameter: undefined }), 'parameter'],
      [rule({ condition: 'no_data', threshold: undefined }), 'durationSeconds'],
      [rule({ channels: ['webhook'] }), 'recipients.webhookUrl'],
      [rule({ condition: 'sometimes' }), 'condition'],
      [rule({ severity: 'apocalyptic' }), 'severity'],
    ];
    for (const [body, field] of cases) {
      const response = await create(operator, body).expect(400);
      expect(response.body.error).toBe('validation_failed');
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('answers the webhook secret once, and refuses metadata and private webhook targets at save', async () => {
    const operator = await t.factory.user(await t.factory.organization(), 'operator');
    const hook = rule({ channels: ['webhook'] });
    const webhook = (url: string) => ({ ...hook, recipients: { webhookUrl: url } });
    const created = await create(operator, webhook('http://127.0.0.1:9/hook')).expect(201);
    expect(created.body.webhookSecret).toEqual(expect.any(String));
    expect(created.body.hasWebhookSecret).toBe(true);
    const again = await t.http
      .get(`/api/v1/alert-rules/${created.body.id}`)
      .set('Authorization', operator.auth)
      .expect(200);
    expect(again.body.webhookSecret).toBeUndefined();
    const [{ webhook_secret_sealed: sealed }] = await t.db.query(
      'SELECT webhook_secret_sealed FROM alert_rules WHERE id = $1',
      [created.body.id],
    );
    expect(sealed).not.toContain(created.body.webhookSecret);

    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://0xa9fea9fe/',
      'http://metadata.google.internal/',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'ftp://example.com/hook',
    ]) {
      const refused = await create(operator, webhook(url));
      expect([url, refused.status]).toEqual([url, 400]);
      expect(['webhook_url_not_allowed', 'validation_failed']).toContain(refused.body.error);
    }
    const metadata = await create(operator, webhook('http://169.254.169.254/')).expect(400);
    expect(metadata.body.error).toBe('webhook_url_not_allowed');
  });

  it('exports every rule and imports the document, retargeted at another site, all or none', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const london = await t.factory.site(org);
    const paris = await t.factory.site(org);
    await create(owner, rule({ scope: { siteId: london.id } })).expect(201);
    await create(
      owner,
      rule({
        name: 'Any meter offline',
        condition: 'device_offline',
        parameter: undefined,
        threshold: undefined,
      }),
    ).expect(201);
    const exported = await t.http
      .get('/api/v1/alert-rules/export')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(exported.body).toMatchObject({
      version: 1,
      rules: [{ scope: { siteId: london.id } }, { scope: {} }],
    });

    const imported = await t.http
      .post('/api/v1/alert-rules/import')
      .set('Authorization', owner.auth)
      .send({ ...exported.body, siteId: paris.id })
      .expect(201);
    expect(imported.body.map((r: { scope: object }) => r.scope)).toEqual([
      { siteId: paris.id },
      {},
    ]);

    const broken = { ...exported.body, rules: [...exported.body.rules, rule({ threshold: null })] };
    await t.http
      .post('/api/v1/alert-rules/import')
      .set('Authorization', owner.auth)
      .send(broken)
      .expect(400);
    const all = await t.http
      .get('/api/v1/alert-rules')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(all.body).toHaveLength(4);
  });

  it('a viewer reads rules but gets 403 on changes; another organization gets 404', async () => {
    const org = await t.factory.organization();
    const operator = await t.factory.user(org, 'operator');
    const viewer = await t.factory.user(org, 'viewer');
    const created = await create(operator, rule()).expect(201);
    const id = created.body.id as string;
    await t.http.get(`/api/v1/alert-rules/${id}`).set('Authorization', viewer.auth).expect(200);
    expect((await create(viewer, rule())).status).toBe(403);
    await t.http
      .patch(`/api/v1/alert-rules/${id}`)
      .set('Authorization', viewer.auth)
      .send({ threshold: 1 })
      .expect(403);
    await t.http.delete(`/api/v1/alert-rules/${id}`).set('Authorization', viewer.auth).expect(403);

    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    const notFound = await t.http
      .get(`/api/v1/alert-rules/${id}`)
      .set('Authorization', stranger.auth)
      .expect(404);
    expect(notFound.body.error).toBe('alert_rule_not_found');
    await t.http
      .patch(`/api/v1/alert-rules/${id}`)
      .set('Authorization', stranger.auth)
      .send({ threshold: 1 })
      .expect(404);
    await t.http
      .delete(`/api/v1/alert-rules/${id}`)
      .set('Authorization', stranger.auth)
      .expect(404);
    const list = await t.http.get('/api/v1/alert-rules').set('Authorization', stranger.auth);
    expect(list.body).toEqual([]);
    const foreignSite = await t.factory.site(org);
    const refused = await create(stranger, rule({ scope: { siteId: foreignSite.id } })).expect(404);
    expect(refused.body.error).toBe('site_not_found');
  });
});
