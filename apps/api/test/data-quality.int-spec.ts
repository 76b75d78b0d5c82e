import { randomUUID } from 'node:crypto';
import {
  DataQualityIssuesRepository,
  type DataQualitySighting,
  type MeterEntity,
} from '@gridwatch/server';
import type { TestUser } from './support/factory';
import type { MigrationInterface } from 'typeorm';
import { createTestApp, TestApp } from './support/test-app';

describe('data quality issues', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const list = (user: TestUser, query = '') =>
    t.http.get(`/api/v1/data-quality-issues${query}`).set('Authorization', user.auth);
  const resolve = (user: TestUser, id: string) =>
    t.http.post(`/api/v1/data-quality-issues/${id}/resolve`).set('Authorization', user.auth);

  describe('GET /data-quality-issues', () => {
    it("lists the caller's organization's issues only, newest first, filtered by site, meter, kind, severity and open", async () => {
      const org = await t.factory.organization();
      const viewer = await t.factory.user(org, 'viewer');
      const north = await t.factory.site(org);
      const south = await t.factory.site(org);
      const gateway = await t.factory.gateway(north);
      const heater = await t.factory.meter(north, gateway, 'heater');
      const pump = await t.factory.meter(south);
      const hour = (h: number) => new Date(Date.parse('2026-11-30T00:00:00Z') + h * 3600_000);
      const range = await t.factory.dataQualityIssue(heater, { detectedAt: hour(1) });
      const silent = await t.factory.dataQualityIssue(pump, {
        kind: 'communication_error',
        severity: 'error',
        parameter: null,
        detectedAt: hour(2),
        resolvedAt: hour(3),
      });
      const gatewayDown = await t.factory.dataQualityIssue(heater, {
        meterId: null,
        kind: 'communication_error',
        severity: 'error',
        parameter: null,
        detectedAt: hour(4),
      });
      const stranger = await t.factory.meter(await t.factory.site(await t.factory.organization()));
      await t.factory.dataQualityIssue(stranger, { detectedAt: hour(5) });

      const all = await list(viewer).expect(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((issue: { id: string }) => issue.id)).toEqual([
        gatewayDown.id,
        silent.id,
        range.id,
      ]);
      expect(all.body.items[2]).toEqual({
        id: range.id,
        siteId: north.id,
        meterId: heater.id,
        gatewayId: gateway.id,
        kind: 'out_of_range',
        severity: 'warning',
        parameter: 'frequency_hz',
        message: expect.any(String),
        details: { count: 1 },
        detectedAt: hour(1).toISOString(),
        resolvedAt: null,
      });
      const ids = async (query: string) =>
        (await list(viewer, query).expect(200)).body.items.map((issue: { id: string }) => issue.id);
      expect(await ids(`?siteId=${north.id}`)).toEqual([gatewayDown.id, range.id]);
      expect(await ids(`?meterId=${pump.id}`)).toEqual([silent.id]);
      expect(await ids('?kind=out_of_range')).toEqual([range.id]);
      expect(await ids('?severity=error&open=true')).toEqual([gatewayDown.id]);
      expect(await ids('?open=false')).toEqual([silent.id]);
      expect(await ids(`?meterId=${stranger.id}`)).toEqual([]);

      const first = await list(viewer, '?limit=2').expect(200);
      expect(first.body).toMatchObject({ total: 3, nextCursor: expect.any(String) });
      const second = await list(viewer, `?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items.map((issue: { id: string }) => issue.id)).toEqual([range.id]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it('refuses an unknown kind, a malformed site id and a bad cursor with 400', async () => {
      const viewer = await t.factory.user(await t.factory.organization(), 'viewer');
      for (const query of ['?kind=gremlins', '?siteId=12', '?open=maybe', '?cursor=nope']) {
        const response = await list(viewer, query).expect(400);
        expect(response.body.error).toBe('validation_failed');
      }
    });
  });

  describe('POST /data-quality-issues/{id}/resolve', () => {
    it('resolves once with an audit event; resolving again answers the same resolution and records nothing', async () => {
      const org = await t.factory.organization();
      const operator = await t.factory.user(org, 'operator');
      const meter = await t.factory.meter(await t.factory.site(org));
      const issue = await t.factory.dataQualityIssue(meter);
      const first = await resolve(operator, issue.id).expect(200);
      expect(first.body).toMatchObject({ id: issue.id, resolvedAt: expect.any(String) });
      const again = await resolve(operator, issue.id).expect(200);
      expect(again.body.resolvedAt).toBe(first.body.resolvedAt);
      const events = await t.db.query(
        `SELECT type, actor_id, subject_type, data FROM events WHERE subject_id = $1`,
        [issue.id],
      );
      expect(events).toEqual([
        {
          type: 'data_quality.resolved',
          actor_id: operator.user.id,
          subject_type: 'data_quality_issue',
          data: expect.objectContaining({ kind: 'out_of_range', meterId: meter.id }),
        },
      ]);
      const open = await list(operator, '?open=true').expect(200);
      expect(open.body.total).toBe(0);
    });

    it("a viewer may list but not resolve; another organization's issue is 404 and stays open", async () => {
      const org = await t.factory.organization();
      const viewer = await t.factory.user(org, 'viewer');
      const issue = await t.factory.dataQualityIssue(
        await t.factory.meter(await t.factory.site(org)),
      );
      await list(viewer).expect(200);
      const forbidden = await resolve(viewer, issue.id).expect(403);
      expect(forbidden.body.error).toBe('forbidden');
      const outsider = await t.factory.user(await t.factory.organization(), 'owner');
      const foreign = await resolve(outsider, issue.id).expect(404);
      expect(foreign.body.error).toBe('data_quality_issue_not_found');
      const missing = await resolve(outsider, randomUUID()).expect(404);
      expect(missing.body).toMatchObject({
        error: foreign.body.error,
        message: foreign.body.message,
      });
      const [row] = await t.db.query('SELECT resolved_at FROM data_quality_issues WHERE id = $1', [
        issue.id,
      ]);
      expect(row.resolved_at).toBeNull();
    });
  });

  describe('the one upsert', () => {
    const sighting = (meter: MeterEntity, overrides: Partial<DataQualitySighting> = {}) => ({
      organizationId: meter.organizationId,
      meterId: meter.id,
      gatewayId: meter.gatewayId,
      kind: 'out_of_range' as const,
      severity: 'warning' as const,
      parameter: 'voltage_v',
      message: 'voltage_v value 400 is outside the plausible range',
      details: { lastValue: 400 },
      ...overrides,
    });

    it('concurrent sightings keep one open issue per meter, kind and parameter, counting them; after resolution the next opens a new one', async () => {
      const site = await t.factory.site(await t.factory.organization());
      const gateway = await t.factory.gateway(site);
      const meter = await t.factory.meter(site, gateway);
      const issues = t.app.get(DataQualityIssuesRepository);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          issues.report(sighting(meter, { details: { lastValue: 400 + i }, occurrences: 2 })),
        ),
      );
      await issues.report(sighting(meter, { parameter: 'current_a' }));
      await issues.report(sighting(meter, { meterId: null, kind: 'communication_error' }));
      await issues.report(sighting(meter, { meterId: null, kind: 'communication_error' }));
      const rows = await t.db.query(
        `SELECT meter_id, kind, parameter, (details->>'count')::int AS count FROM data_quality_issues
         WHERE gateway_id = $1 AND resolved_at IS NULL ORDER BY kind, parameter`,
        [gateway.id],
      );
      expect(rows).toEqual([
        { meter_id: null, kind: 'communication_error', parameter: 'voltage_v', count: 2 },
        { meter_id: meter.id, kind: 'out_of_range', parameter: 'current_a', count: 1 },
        { meter_id: meter.id, kind: 'out_of_range', parameter: 'voltage_v', count: 16 },
      ]);
      await t.db.query('UPDATE data_quality_issues SET resolved_at = now() WHERE meter_id = $1', [
        meter.id,
      ]);
      await issues.report(sighting(meter));
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM data_quality_issues WHERE meter_id = $1 AND parameter = 'voltage_v'`,
        [meter.id],
      );
      expect(n).toBe(2);
    });

    it('the migration merges open duplicates into the oldest before it makes them unique', async () => {
      const meter = await t.factory.meter(await t.factory.site(await t.factory.organization()));
      const runner = t.db.createQueryRunner();
      await runner.startTransaction();
      try {
        const migration = migrationNamed(t, 'DataQualityOpenIssueKeys1795600000001');
        await migration.down(runner);
        const insert = (detectedAt: string, count: number, parameter: string | null) =>
          runner.query(
            `INSERT INTO data_quality_issues (organization_id, meter_id, kind, parameter, message, details, detected_at)
             VALUES ($1, $2, 'out_of_range', $3, 'm', jsonb_build_object('count', $4::int), $5) RETURNING id`,
            [meter.organizationId, meter.id, parameter, count, detectedAt],
          );
        const [[oldest], [,], [other]] = [
          await insert('2026-11-01T00:00:00Z', 3, 'voltage_v'),
          await insert('2026-11-02T00:00:00Z', 4, 'voltage_v'),
          await insert('2026-11-03T00:00:00Z', 1, 'current_a'),
        ];
        await migration.up(runner);
        const rows = await runner.query(
          `SELECT id, parameter, (details->>'count')::int AS count, details->>'mergedInto' AS merged_into,
                  resolved_at IS NULL AS open
           FROM data_quality_issues WHERE meter_id = $1 ORDER BY detected_at`,
          [meter.id],
        );
        expect(rows).toEqual([
          { id: oldest.id, parameter: 'voltage_v', count: 7, merged_into: null, open: true },
          expect.objectContaining({ parameter: 'voltage_v', merged_into: oldest.id, open: false }),
          { id: other.id, parameter: 'current_a', count: 1, merged_into: null, open: true },
        ]);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });
  });
});

/** A migration as the running app knows it (tests import libraries by their alias only). */
function migrationNamed(t: TestApp, name: string): MigrationInterface {
  const found = t.db.migrations.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no migration ${name}`);
  return found;
}
