import { randomUUID } from 'node:crypto';
import { UserEntity } from '@gridwatch/server';
import { OrganizationsService } from '../src/modules/organizations/organizations.service';
import { createTestApp, TestApp } from './support/test-app';

const STRONG = 'correct horse battery staple';

function signupBody(password: string) {
  return {
    organizationName: 'Acme Facilities',
    ownerName: 'Ada Lovelace',
    email: `ada-${randomUUID().slice(0, 8)}@acme.example`,
    password,
  };
}

describe('password strength', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ SIGNUP_ENABLED: 'true' });
  });
  afterAll(() => t.close());

  it('refuses a sign-up with "aaaaaaaaaa" as weak_password, with zxcvbn\'s advice, and creates nothing', async () => {
    const body = signupBody('aaaaaaaaaa');
    const response = await t.http.post('/api/v1/auth/signup').send(body).expect(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'weak_password',
      message: expect.stringContaining('Repeated characters like "aaa" are easy to guess.'),
    });
    expect(await t.db.getRepository(UserEntity).existsBy({ email: body.email })).toBe(false);
  });

  it("refuses a password built from the owner's own email", async () => {
    const body = signupBody('');
    const response = await t.http
      .post('/api/v1/auth/signup')
      .send({ ...body, password: body.email })
      .expect(400);
    expect(response.body.error).toBe('weak_password');
  });

  it('accepts a strong password', async () => {
    await t.http.post('/api/v1/auth/signup').send(signupBody(STRONG)).expect(201);
  });

  it('an owner cannot give a new user a weak password; an invitation still works', async () => {
    const owner = await t.factory.user(await t.factory.organization(), 'owner');
    const email = `weak-${randomUUID().slice(0, 8)}@acme.example`;
    const weak = await t.http
      .post('/api/v1/users')
      .set('Authorization', owner.auth)
      .send({ email, name: 'Grace Hopper', role: 'viewer', password: 'password123' })
      .expect(400);
    expect(weak.body.error).toBe('weak_password');
    expect(await t.db.getRepository(UserEntity).existsBy({ email })).toBe(false);

    const invited = await t.http
      .post('/api/v1/users')
      .set('Authorization', owner.auth)
      .send({ email, name: 'Grace Hopper', role: 'viewer' })
      .expect(201);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email, password: invited.body.temporaryPassword })
      .expect(200);
  });

  it('the CLI path (create-org) refuses a weak owner password too', async () => {
    await expect(
      t.app.get(OrganizationsService).createWithOwner({ ...signupBody('aaaaaaaaaa') }),
    ).rejects.toMatchObject({ code: 'weak_password', status: 400 });
  });
});

describe('sign-up throttling', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      SIGNUP_ENABLED: 'true',
      SIGNUP_MAX_ATTEMPTS_PER_IP: '3',
      SIGNUP_WINDOW_SECONDS: '120',
      // Counters of this app's own: other files of the run sign up from the same address.
      QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_signup`,
    });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After once an address has made too many attempts, even with a good body', async () => {
    const from = (ip: string) => t.http.post('/api/v1/auth/signup').set('X-Forwarded-For', ip);
    await from('203.0.113.7').send(signupBody(STRONG)).expect(201);
    await from('203.0.113.7').send(signupBody('aaaaaaaaaa')).expect(400);
    await from('203.0.113.7').send(signupBody(STRONG)).expect(201);

    const body = signupBody(STRONG);
    const blocked = await from('203.0.113.7').send(body).expect(429);
    expect(blocked.body.error).toBe('too_many_requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(120);
    expect(await t.db.getRepository(UserEntity).existsBy({ email: body.email })).toBe(false);

    await from('198.51.100.9').send(body).expect(201);
  });
});
