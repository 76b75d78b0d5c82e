import type { OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { MigrationInterface } from 'typeorm';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
const touTariff = {
  type: 'time_of_use',
  currency: 'GBP',
  standingChargePerDay: 0.5,
  periods: [
    {
      validFrom: '2026-01-01',
      validTo: '2026-07-01',
      bands: [
        { days: ALL_DAYS, from: '00:00', to: '07:30', price: 0.1, name: 'night' },
        { days: ALL_DAYS, from: '07:30', to: '24:00', price: 0.3, name: 'day' },
      ],
    },
    {
      validFrom: '2026-07-01',
      bands: [{ days: ALL_DAYS, from: '00:00', to: '24:00', price: 0.25 }],
    },
  ],
};

describe('site tariffs', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let site: SiteEntity;
  let owner: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    site = await t.factory.site(org);
    owner = await t.factory.user(org, 'owner');
    viewer = await t.factory.user(org, 'viewer');
  });
  afterAll(() => t.close());

  const put = (body: object, user = owner, siteId = site.id) =>
    t.http.put(`/api/v1/sites/${siteId}/tariff`).set('Authorization', user.auth).send(body);
  const get = (user = viewer, siteId = site.id) =>
    t.http.get(`/api/v1/sites/${siteId}/tariff`).set('Authorization', user.auth);

  it('answers 404 tariff_not_found before a tariff is set', async () => {
    expect((await get().expect(404)).body.error).toBe('tariff_not_found');
  });

  it('stores a time-of-use document, answers it, and keeps the earlier documents on record', async () => {
    await put({
      type: 'flat',
      currency: 'GBP',
      standingChargePerDay: 0,
      periods: [{ validFrom: '2025-01-01', price: 0.2 }],
    }).expect(200);
    const saved = await put(touTariff).expect(200);
    expect(saved.body).toMatchObject({ siteId: site.id, ...touTariff });
    expect((await get().expect(200)).body).toMatchObject(touTariff);
    const rows = await t.db.query(
      'SELECT document FROM site_tariffs WHERE site_id = $1 ORDER BY created_at',
      [site.id],
    );
    expect(rows.map((row: { document: { type: string } }) => row.document.type)).toEqual([
      'flat',
      'time_of_use',
    ]);
  });

  it('refuses bands with a gap or an overlap with 400 invalid_tariff naming it', async () => {
    const gap = structuredClone(touTariff);
    gap.periods[0].bands[1].from = '08:00';
    const response = await put(gap).expect(400);
    expect(response.body.error).toBe('invalid_tariff');
    expect(response.body.message).toContain('Monday 07:30-08:00 is covered by no band');
    const overlap = structuredClone(touTariff);
    overlap.periods[0].bands[1].from = '07:00';
    expect((await put(overlap).expect(400)).body.details[0].messages[0]).toBe(
      'Monday 07:00-07:30 is covered by bands 0 and 1 (overlap)',
    );
  });

  it('refuses malformed documents field by field', async () => {
    const response = await put({
      type: 'hourly',
      currency: 'XXQ',
      standingChargePerDay: -1,
      periods: [],
    }).expect(400);
    expect(response.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'currency',
      'periods',
      'standingChargePerDay',
      'type',
    ]);
  });

  it('has one home: the site itself neither shows nor accepts a tariff', async () => {
    const view = await t.http
      .get(`/api/v1/sites/${site.id}`)
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(view.body).not.toHaveProperty('tariff');
    const patch = await t.http
      .patch(`/api/v1/sites/${site.id}`)
      .set('Authorization', owner.auth)
      .send({ tariff: { currency: 'EUR', kind: 'flat', pricePerKwh: 0.25 } })
      .expect(400);
    expect(patch.body.details.map((detail: { field: string }) => detail.field)).toEqual(['tariff']);
  });

  it("the migration moves a site's old tariff field into site_tariffs and drops the column", async () => {
    const old = await t.factory.site(org);
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      const migration = migrationNamed(t, 'SiteTariffOneHome1795780000000');
      await migration.down(runner);
      await runner.query('UPDATE sites SET tariff = $2 WHERE id = $1', [
        old.id,
        JSON.stringify({
          currency: 'EUR',
          kind: 'time_of_use',
          bands: [
            { name: 'day', from: '07:00', to: '23:00', pricePerKwh: 0.3 },
            { name: 'night', from: '23:00', to: '07:00', pricePerKwh: 0.12 },
          ],
        }),
      ]);
      // A site that already has a document keeps it: the table wins over the old field.
      await runner.query('UPDATE sites SET tariff = $2 WHERE id = $1', [
        site.id,
        JSON.stringify({ currency: 'EUR', kind: 'flat', pricePerKwh: 9 }),
      ]);
      await migration.up(runner);
      const moved = await runner.query('SELECT document FROM site_tariffs WHERE site_id = $1', [
        old.id,
      ]);
      expect(moved.map((row: { document: unknown }) => row.document)).toEqual([
        {
          type: 'time_of_use',
          currency: 'EUR',
          standingChargePerDay: 0,
          periods: [
            {
              validFrom: '1970-01-01',
              bands: [
                { days: ALL_DAYS, from: '07:00', to: '23:00', price: 0.3, name: 'day' },
                { days: ALL_DAYS, from: '23:00', to: '24:00', price: 0.12, name: 'night' },
                { days: ALL_DAYS, from: '00:00', to: '07:00', price: 0.12, name: 'night' },
              ],
            },
          ],
        },
      ]);
      const kept = await runner.query(
        "SELECT count(*)::int AS n FROM site_tariffs WHERE site_id = $1 AND document->>'currency' = 'EUR'",
        [site.id],
      );
      expect(kept[0].n).toBe(0);
      const [column] = await runner.query(
        "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'sites' AND column_name = 'tariff'",
      );
      expect(column.n).toBe(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it("needs settings:write to change and hides other organizations' sites", async () => {
    await put(touTariff, viewer).expect(403);
    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    await put(touTariff, stranger).expect(404);
    await get(stranger).expect(404);
  });
});

/** A migration as the running app knows it (tests import libraries by their alias only). */
function migrationNamed(t: TestApp, name: string): MigrationInterface {
  const found = t.db.migrations.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no migration ${name}`);
  return found;
}
