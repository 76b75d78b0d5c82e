import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataQualityIssuesRepository, type GatewayEntity } from '@gridwatch/server';
import type { PollFailure } from './gateway-poller';

/**
 * communication_error data quality issues: one open issue per gateway and meter (meter null for
 * the gateway itself), updated with a count while the failures go on (the shared data quality
 * upsert), resolved by the next read.
 */
@Injectable()
export class CommunicationIssuesRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly issues: DataQualityIssuesRepository,
  ) {}

  async record(gateway: GatewayEntity, failure: PollFailure, at: Date): Promise<void> {
    await this.issues.report({
      organizationId: gateway.organizationId,
      meterId: failure.meterId,
      gatewayId: gateway.id,
      kind: 'communication_error',
      severity: failure.meterId === null ? 'error' : 'warning',
      message: failure.message,
      details: { ...failure.details, failure: failure.kind, lastFailureAt: at.toISOString() },
      detectedAt: at,
    });
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
