import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from '@gridwatch/contracts';
import { createTestApp, TestApp } from './support/test-app';

// The JWT secret the API used to fall back to outside production, as printed in its source.
const OLD_PRINTED_DEV_SECRET = 'gridwatch-dev-jwt-secret-change-me-in-production';

describe('secrets', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses an owner token minted with the secret once printed in the source (401)', async () => {
    const { user, auth } = await t.factory.user(await t.factory.organization(), 'owner');
    const claims: AccessTokenClaims = { sub: user.id, org: user.organizationId, role: 'owner' };
    const forged = new JwtService({ secret: OLD_PRINTED_DEV_SECRET }).sign(claims, {
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
