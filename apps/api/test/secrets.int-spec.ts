import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from '@gridwatch/contracts';
import { createTestApp, TestApp } from './support/test-app';

// Any secret but the server's own: the API once fell back to a printed one, and no secret may
// be written in the source again, this test included.
const FORGER_SECRET = randomBytes(48).toString('base64url');

describe('secrets', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses an owner token minted with any secret but the configured one (401)', async () => {
    const { user, auth } = await t.factory.user(await t.factory.organization(), 'owner');
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, role: 'owner' };
    const forged = new JwtService({ secret: FORGER_SECRET }).sign(claims, {
      expiresIn: 900,
    });

    const refused = await t.http
      .get('/api/v1/users')
      .set('Authorization', `Bearer ${forged}`)
      .expect(401);
    expect(refused.body).toMatchObject({ error: 'invalid_token' });
    await t.http.get('/api/v1/users').set('Authorization', auth).expect(200);
  });
});
