import { randomBytes } from 'node:crypto';
import { OrganizationEntity, RefreshTokenEntity, UserEntity } from '@gridwatch/server';
import { createTestApp, TestApp } from './support/test-app';

// Generated per run: no secret is written in the source.
const SIGNUP_PASSWORD = randomBytes(18).toString('base64url');

describe('auth', () => {
  let t: TestApp;
  let org: OrganizationEntity;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
  });
  afterAll(() => t.close());

  function login(email: string, password: string) {
    return t.http.post('/api/v1/auth/login').send({ email, password });
  }

  it('logs in with email and password and answers a 15-minute access token and a refresh token', async () => {
    const { user, password } = await t.factory.user(org, 'operator');
    const response = await login(user.email.toUpperCase(), password).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${response.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ id: user.id, role: 'operator', organizationId: org.id });
    expect(me.body.scopes).toEqual(expect.arrayContaining(['devices:write', 'settings:read']));
    expect(me.body.scopes).not.toContain('users:manage');
    expect(me.body.lastLoginAt).not.toBeNull();
  });

  it('stores passwords as argon2id and refresh tokens only as hashes', async () => {
    const { user, password } = await t.factory.user(org, 'viewer');
    const stored = await t.db.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    const { body } = await login(user.email, password).expect(200);
    const rows = await t.db.getRepository(RefreshTokenEntity).findBy({ userId: user.id });
    expect(rows).toHaveLength(1);
    expect(body.refreshToken).not.toContain(rows[0]?.tokenHash);
    expect(rows[0]?.tokenHash).not.toBe(body.refreshToken.split('.')[1]);
  });

  it('refuses a wrong password with 401 invalid_credentials and logs the failure', async () => {
    const { user } = await t.factory.user(org, 'viewer');
    const response = await login(user.email, 'not-the-password').expect(401);
    expect(response.body).toEqual({
      statusCode: 401,
      error: 'invalid_credentials',
      message: 'Email or password is incorrect',
    });
    const events = await t.db.query(
      `SELECT type, data FROM events WHERE organization_id = $1 AND subject_id = $2`,
      [org.id, user.id],
    );
    expect(events).toEqual([
      { type: 'user.login_failed', data: expect.objectContaining({ reason: 'bad_password' }) },
    ]);
  });

  it('refuses a disabled user', async () => {
    const { user, password } = await t.factory.user(org, 'viewer', { disabled: true });
    await login(user.email, password).expect(401);
  });

  it('rotates refresh tokens, and reusing a rotated one revokes the whole family', async () => {
    const { user, password } = await t.factory.user(org, 'operator');
    const first = (await login(user.email, password).expect(200)).body.refreshToken as string;
    const second = (
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200)
    ).body.refreshToken as string;
    expect(second).not.toBe(first);

    const reuse = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: first })
      .expect(401);
    expect(reuse.body.error).toBe('refresh_token_reused');
    // The attacker's reuse also kills the legitimate holder's newer token.
    const after = await t.http
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: second })
      .expect(401);
    expect(after.body.error).toBe('refresh_token_reused');
  });

  it('logout revokes the session', async () => {
    const { user, password } = await t.factory.user(org, 'operator');
    const token = (await login(user.email, password).expect(200)).body.refreshToken as string;
    await t.http.post('/api/v1/auth/logout').send({ refreshToken: token }).expect(204);
    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: token }).expect(401);
  });

  it.each([
    ['no token', undefined, 'unauthenticated'],
    ['a malformed token', 'Bearer not.a.jwt', 'invalid_token'],
  ])('answers 401 for %s', async (_case, header, code) => {
    const req = t.http.get('/api/v1/auth/me');
    if (header) req.set('Authorization', header);
    const response = await req.expect(401);
    expect(response.body.error).toBe(code);
  });

  it('answers 401 for an expired token', async () => {
    const { user } = await t.factory.user(org, 'owner');
    const expired = t.factory.token(user, { expiresIn: -10 });
    const response = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
    expect(response.body).toMatchObject({
      error: 'invalid_token',
      message: 'The access token has expired',
    });
  });

  it('answers 401 for a token signed with another secret or tampered with', async () => {
    const { token } = await t.factory.user(org, 'owner');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...claims, role: 'owner', org: 'x' }),
    ).toString('base64url');
    await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${header}.${forgedPayload}.${signature}`)
      .expect(401);

    const { JwtService } = await import('@nestjs/jwt');
    const foreign = new JwtService({ secret: randomBytes(48).toString('base64') }).sign(claims);
    await t.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${foreign}`).expect(401);
  });

  it('refuses signup while it is disabled (the default)', async () => {
    const response = await t.http
      .post('/api/v1/auth/signup')
      .send({
        organizationName: 'Acme',
        ownerName: 'Ada',
        email: 'ada@acme.example',
        password: SIGNUP_PASSWORD,
      })
      .expect(403);
    expect(response.body.error).toBe('signup_disabled');
  });

  it('rejects invalid login bodies with field details and unknown fields', async () => {
    const response = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'not-an-email', password: 'x', admin: true })
      .expect(400);
    expect(response.body.error).toBe('validation_failed');
    const fields = (response.body.details as Array<{ field: string }>).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'admin']));
  });
});

describe('login throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_ATTEMPTS_PER_EMAIL: '3', LOGIN_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an email has too many attempts, even with the right password', async () => {
    const { user, password } = await t.factory.user(await t.factory.organization(), 'viewer');
    for (let attempt = 0; attempt < 3; attempt++) {
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'wrong-password' })
        .expect(401);
    }
    const blocked = await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password })
      .expect(429);
    expect(blocked.body.error).toBe('too_many_requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it("a successful login resets the email's counter", async () => {
    const { user, password } = await t.factory.user(await t.factory.organization(), 'viewer');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password' })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password' })
      .expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password }).expect(200);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'wrong-password' })
      .expect(401);
    await t.http.post('/api/v1/auth/login').send({ email: user.email, password }).expect(200);
  });
});

describe('self-service sign-up when enabled', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ SIGNUP_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('creates an organization whose first user is its owner', async () => {
    const email = `founder-${Date.now()}@acme.example`;
    const response = await t.http
      .post('/api/v1/auth/signup')
      .send({
        organizationName: 'Acme Facilities',
        ownerName: 'Ada',
        email,
        password: SIGNUP_PASSWORD,
      })
      .expect(201);
    const me = await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${response.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ email, role: 'owner', organizationName: 'Acme Facilities' });
    await t.http
      .post('/api/v1/auth/signup')
      .send({ organizationName: 'Again', ownerName: 'Ada', email, password: SIGNUP_PASSWORD })
      .expect(409);
  });
});
