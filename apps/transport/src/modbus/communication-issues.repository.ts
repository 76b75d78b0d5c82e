import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { GatewayEntity } from '@gridwatch/server';
import type { PollFailure } from './gateway-poller';

/**
 * communication_error data quality issues: one open issue per gateway and meter (meter null for
 * the gateway itself), updated with a count while the failures go on, resolved by the next read.
 */
@Injectable()
export class CommunicationIssuesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(gateway: GatewayEntity, failure: PollFailure, at: Date): Promise<void> {
    const details = { ...failure.details, failure: failure.kind, lastFailureAt: at.toISOString() };
    const [, updated] = (await this.db.query(
      `UPDATE data_quality_issues
       SET message = $4,
           details = details || $5::jsonb || jsonb_build_object('count', coalesce((details->>'count')::int, 0) + 1)
       WHERE gateway_id = $1 AND meter_id IS NOT DISTINCT FROM $2::uuid AND organization_id = $3
         AND kind = 'communication_error' AND resolved_at IS NULL`,
      [
        gateway.id,
        failure.meterId,
        gateway.organizationId,
        failure.message,
        JSON.stringify(details),
      ],
    )) as [unknown[], number];
    if (updated > 0) return;
    await this.db.query(
      `INSERT INTO data_quality_issues (organization_id, meter_id, gateway_id, kind, severity, message, details, detected_at)
       VALUES ($1, $2, $3, 'communication_error', $4, $5, $6::jsonb, $7)`,
      [
        gateway.organizationId,
        failure.meterId,
        gateway.id,
        failure.meterId === null ? 'error' : 'warning',
        failure.message,
        JSON.stringify({ ...details, count: 1 }),
        at,
      ],
    );
  }

  /** Resolves the open issues of meters that were read, and the gateway's own if it answered. */
  async resolve(
    gateway: GatewayEntity,
    meterIds: string[],
    gatewayAnswered: boolean,
  ): Promise<void> {
    if (meterIds.length === 0 && !gatewayAnswered) return;
    await this.db.query(
      `UPDATE data_quality_issues SET resolved_at = now()
       WHERE gateway_id = $1 AND kind = 'communication_error' AND resolved_at IS NULL
         AND (meter_id = ANY($2::uuid[]) OR ($3 AND meter_id IS NULL))`,
      [gateway.id, meterIds, gatewayAnswered],
    );
  }
}
