import { randomBytes } from 'node:crypto';
import { createTestApp, TestApp } from './support/test-app';

// Generated per run: no secret is written in the source.
const NEW_USER_PASSWORD = randomBytes(18).toString('base64url');

describe('users and organizations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('an owner invites a user who can then sign in with the one-time password', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const created = await t.http
      .post('/api/v1/users')
      .set('Authorization', owner.auth)
      .send({ email: 'New.Person@Example.com', name: 'New Person', role: 'operator' })
      .expect(201);
    expect(created.body).toMatchObject({
      email: 'new.person@example.com',
      role: 'operator',
      disabled: false,
    });
    expect(created.body.temporaryPassword).toEqual(expect.any(String));

    await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'new.person@example.com', password: created.body.temporaryPassword })
      .expect(200);
    const fetched = await t.http
      .get(`/api/v1/users/${created.body.id}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(fetched.body.temporaryPassword).toBeUndefined();
  });

  it('refuses a second user with the same email (409 email_taken)', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const other = await t.factory.user(await t.factory.organization(), 'viewer');
    const response = await t.http
      .post('/api/v1/users')
      .set('Authorization', owner.auth)
      .send({
        email: other.user.email,
        name: 'Dup',
        role: 'viewer',
        password: NEW_USER_PASSWORD,
      })
      .expect(409);
    expect(response.body.error).toBe('email_taken');
  });

  it('the last owner can be neither demoted nor disabled; with two owners one can step down', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const demote = await t.http
      .patch(`/api/v1/users/${owner.user.id}`)
      .set('Authorization', owner.auth)
      .send({ role: 'viewer' })
      .expect(409);
    expect(demote.body).toMatchObject({ error: 'last_owner' });
    await t.http
      .patch(`/api/v1/users/${owner.user.id}`)
      .set('Authorization', owner.auth)
      .send({ disabled: true })
      .expect(409);

    const second = await t.factory.user(org, 'owner');
    const stepDown = await t.http
      .patch(`/api/v1/users/${owner.user.id}`)
      .set('Authorization', second.auth)
      .send({ role: 'operator' })
      .expect(200);
    expect(stepDown.body.role).toBe('operator');
    // The former owner's existing token now carries the operator's scopes only.
    await t.http.get('/api/v1/users').set('Authorization', owner.auth).expect(403);
  });

  it('disabling a user ends their access and their sessions at once', async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const operator = await t.factory.user(org, 'operator');
    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: operator.user.email, password: operator.password })
      .expect(200);
    await t.http
      .patch(`/api/v1/users/${operator.user.id}`)
      .set('Authorization', owner.auth)
      .send({ disabled: true })
      .expect(200);
    await t.http.get('/api/v1/auth/me').set('Authorization', operator.auth).expect(401);
    await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: login.body.refreshToken })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: operator.user.email, password: operator.password })
      .expect(401);
  });

  it("lists only the organization's users, filtered and paginated", async () => {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    await t.factory.user(org, 'viewer');
    await t.factory.user(org, 'viewer');
    await t.factory.user(await t.factory.organization(), 'viewer');
    const viewers = await t.http
      .get('/api/v1/users?role=viewer&limit=1')
      .set('Authorization', owner.auth)
      .expect(200);
    expect(viewers.body.total).toBe(2);
    expect(viewers.body.items).toHaveLength(1);
    const next = await t.http
      .get(`/api/v1/users?role=viewer&limit=1&cursor=${viewers.body.nextCursor}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(next.body.items[0].id).not.toBe(viewers.body.items[0].id);
    expect(next.body.nextCursor).toBeUndefined();
  });

  it("another organization's user is 404 on read and update", async () => {
    const owner = await t.factory.user(await t.factory.organization(), 'owner');
    const stranger = await t.factory.user(await t.factory.organization(), 'viewer');
    await t.http
      .get(`/api/v1/users/${stranger.user.id}`)
      .set('Authorization', owner.auth)
      .expect(404);
    const update = await t.http
      .patch(`/api/v1/users/${stranger.user.id}`)
      .set('Authorization', owner.auth)
      .send({ role: 'owner' })
      .expect(404);
    expect(update.body.error).toBe('user_not_found');
  });

  it('rejects an unknown role and unknown fields with field details', async () => {
    const owner = await t.factory.user(await t.factory.organization(), 'owner');
    const response = await t.http
      .post('/api/v1/users')
      .set('Authorization', owner.auth)
      .send({
        email: 'x@example.com',
        name: 'X',
        role: 'superuser',
        organizationId: owner.user.organizationId,
      })
      .expect(400);
    const fields = (response.body.details as Array<{ field: string }>).map(
      (detail) => detail.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['role', 'organizationId']));
  });
});

describe('audit events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('records logins and permission denials, readable with settings:read and filterable', async () => {
    const org = await t.factory.organization();
    const viewer = await t.factory.user(org, 'viewer');
    const support = await t.factory.user(org, 'support');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: viewer.user.email, password: viewer.password })
      .expect(200);
    const denied = await t.http
      .get('/api/v1/events')
      .set('Authorization', support.auth)
      .expect(403);
    expect(denied.body).toMatchObject({
      error: 'forbidden',
      details: { missingScopes: ['settings:read'] },
    });

    const events = await t.http
      .get('/api/v1/events?type=user.login,permission.denied')
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(events.body.items.map((event: { type: string }) => event.type).sort()).toEqual([
      'permission.denied',
      'user.login',
    ]);
    const deniedEvent = events.body.items.find(
      (event: { type: string }) => event.type === 'permission.denied',
    );
    expect(deniedEvent).toMatchObject({
      actorType: 'user',
      actorId: support.user.id,
      data: { path: '/api/v1/events' },
    });
  });

  it("never shows another organization's events", async () => {
    const a = await t.factory.user(await t.factory.organization(), 'owner');
    const b = await t.factory.user(await t.factory.organization(), 'owner');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: b.user.email, password: b.password })
      .expect(200);
    const events = await t.http.get('/api/v1/events').set('Authorization', a.auth).expect(200);
    expect(
      events.body.items.filter((event: { actorId: string }) => event.actorId === b.user.id),
    ).toEqual([]);
  });
});
