import type { GatewayEntity, MeterEntity, OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './factory';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

export interface ReadingSpec {
  meter: MeterEntity;
  value: number;
  /** RFC 3339 reading time. */
  at: string;
  parameter?: string;
  unit?: string;
  quality?: string;
}

const UNITS: Record<string, string> = { power_w: 'W', voltage_v: 'V', energy_kwh: 'kWh' };

/** One organization with an owner, a site, a gateway and its key: readings go in over REST. */
export class AlertTenant {
  private constructor(
    readonly t: TestApp,
    readonly org: OrganizationEntity,
    readonly owner: TestUser,
    readonly site: SiteEntity,
    readonly gateway: GatewayEntity,
    readonly keys: DeviceKeys,
  ) {}

  static async create(t: TestApp, site: Partial<SiteEntity> = {}): Promise<AlertTenant> {
    const org = await t.factory.organization();
    const owner = await t.factory.user(org, 'owner');
    const place = await t.factory.site(org, site);
    const gateway = await t.factory.gateway(place);
    const keys = await t.factory.credential(gateway);
    return new AlertTenant(t, org, owner, place, gateway, keys);
  }

  meter(kind: MeterEntity['kind'] = 'heater', overrides: Partial<MeterEntity> = {}) {
    return this.t.factory.meter(this.site, this.gateway, kind, overrides);
  }

  async rule(body: Record<string, unknown>, user: TestUser = this.owner): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/alert-rules')
      .set('Authorization', user.auth)
      .send({ severity: 'warning', ...body });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.id as string;
  }

  /** Sends the readings as one batch through the ingest API and waits until rules judged them. */
  async send(readings: ReadingSpec[], via: TestApp = this.t): Promise<string> {
    const response = await via.http
      .post('/api/v1/readings/ingest')
      .set(this.keys.headers())
      .send({
        gateway_serial: this.gateway.serialNumber,
        timestamp: readings[0]?.at ?? new Date().toISOString(),
        readings: readings.map((reading) => ({
          meter_id: reading.meter.id,
          parameter: reading.parameter ?? 'power_w',
          value: reading.value,
          unit: reading.unit ?? UNITS[reading.parameter ?? 'power_w'],
          timestamp: reading.at,
          ...(reading.quality ? { quality: reading.quality } : {}),
        })),
      });
    if (response.status !== 202 || response.body.rejected.length > 0) {
      throw new Error(`ingest refused: ${JSON.stringify(response.body)}`);
    }
    return response.body.batch_id as string;
  }

  /** Waits until every rule watching `meter` has judged a reading at `at` or later. */
  async judged(meter: MeterEntity, at: string, rules = 1): Promise<void> {
    await waitFor(
      async () => {
        const [{ count }] = await this.t.db.query(
          `SELECT count(*)::int AS count FROM alert_rule_states WHERE meter_id = $1 AND last_ts >= $2`,
          [meter.id, at],
        );
        return count >= rules ? true : undefined;
      },
      20_000,
      `rules to judge ${meter.id} at ${at}`,
    );
  }

  /** Sends, then waits for the judgement of the newest reading of each meter. */
  async sendAndJudge(readings: ReadingSpec[]): Promise<void> {
    await this.send(readings);
    const newest = new Map<string, ReadingSpec>();
    for (const reading of readings) {
      const seen = newest.get(reading.meter.id);
      if (!seen || reading.at > seen.at) newest.set(reading.meter.id, reading);
    }
    for (const reading of newest.values()) await this.judged(reading.meter, reading.at);
  }

  alertsOf(meter: MeterEntity): Promise<Array<Record<string, unknown>>> {
    return this.t.db.query(
      `SELECT id, status, first_value, last_value, occurrences, resolution, resolved_by, escalation_level
       FROM alerts WHERE meter_id = $1 ORDER BY triggered_at, id`,
      [meter.id],
    );
  }
}

/** RFC 3339 of `minutes` minutes before now. */
export function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/**
 * Queues of this test file's own: notification and ingest jobs are then processed by this file's
 * apps only, with their configuration (SMTP, clock), not by another file's running alongside.
 */
export function ownQueues(name: string): Record<string, string> {
  return { QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_${name}` };
}
