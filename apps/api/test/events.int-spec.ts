import type { OrganizationEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

interface EventItem {
  type: string;
  actorType: string;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

/** The audit trail has one writer (EventRecorder, libs/server); GET /events lists what it wrote. */
describe('audit trail: recorded by every kind of actor, listed by the events module', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let owner: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    owner = await t.factory.user(org, 'owner');
  });
  afterAll(() => t.close());

  async function list(query: string): Promise<{ items: EventItem[]; nextCursor?: string }> {
    const response = await t.http
      .get(`/api/v1/events?${query}`)
      .set('Authorization', owner.auth)
      .expect(200);
    return response.body;
  }

  it('records a signed-in user as the actor of what they change', async () => {
    const created = await t.http
      .post('/api/v1/sites')
      .set('Authorization', owner.auth)
      .send({ code: 'EVT-1', name: 'Audit site', timezone: 'Europe/London' })
      .expect(201);
    const { items } = await list(`type=site.created&subjectId=${created.body.id}`);
    expect(items).toEqual([
      expect.objectContaining({
        type: 'site.created',
        actorType: 'user',
        actorId: owner.user.id,
        subjectType: 'site',
        subjectId: created.body.id,
        data: { code: 'EVT-1', name: 'Audit site' },
      }),
    ]);
    expect(items[0].ip).toEqual(expect.any(String));
  });

  it('records a user named by id (a failed login) and a device (a refused secret)', async () => {
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: owner.user.email, password: 'not-the-password' })
      .expect(401);
    const gateway = await t.factory.gateway(await t.factory.site(org));
    const keys = await t.factory.credential(gateway);
    await t.http
      .post('/api/v1/gateway/ping')
      .set({ ...keys.headers(), 'X-Device-Secret': 'wrong' })
      .send({})
      .expect(401);

    const [failedLogin] = (await list('type=user.login_failed')).items;
    expect(failedLogin).toMatchObject({
      actorType: 'user',
      actorId: owner.user.id,
      subjectType: 'user',
      subjectId: owner.user.id,
      data: { reason: 'bad_password' },
    });
    const [refused] = (await list(`type=ingest.rejected_auth&actorId=${gateway.serialNumber}`))
      .items;
    expect(refused).toMatchObject({
      actorType: 'device',
      actorId: gateway.serialNumber,
      data: { reason: 'invalid_device_credentials' },
    });
  });

  it('lists newest first, a page at a time', async () => {
    for (const code of ['EVT-A', 'EVT-B', 'EVT-C']) {
      await t.http
        .post('/api/v1/sites')
        .set('Authorization', owner.auth)
        .send({ code, name: code, timezone: 'UTC' })
        .expect(201);
    }
    const codes: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`type=site.created&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      codes.push(...page.items.map((event) => event.data['code']));
      cursor = page.nextCursor;
    } while (cursor);
    expect(codes).toEqual(['EVT-C', 'EVT-B', 'EVT-A', 'EVT-1']);
  });
});
