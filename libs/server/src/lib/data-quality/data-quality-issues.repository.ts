import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { DataQualityKind, DataQualitySeverity } from '@gridwatch/contracts';

/** A sighting of a data quality problem, by whoever detected it (ingest, Modbus poller, ...). */
export interface DataQualitySighting {
  organizationId: string;
  /** Null for a problem of the gateway itself. */
  meterId: string | null;
  gatewayId: string | null;
  kind: DataQualityKind;
  severity: DataQualitySeverity;
  parameter?: string | null;
  message: string;
  /** Merged into the open issue's details. */
  details: Record<string, unknown>;
  /** How many times it was seen (added to details.count); 1 by default. */
  occurrences?: number;
  detectedAt?: Date;
}

const UPSERT = (target: string) => `
  INSERT INTO data_quality_issues AS i
    (organization_id, meter_id, gateway_id, kind, severity, parameter, message, details, detected_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb || jsonb_build_object('count', $9::int), coalesce($10, now()))
  ON CONFLICT ${target}
  DO UPDATE SET
    message = EXCLUDED.message,
    gateway_id = coalesce(EXCLUDED.gateway_id, i.gateway_id),
    details = i.details || $8::jsonb
      || jsonb_build_object('count', coalesce((i.details->>'count')::int, 0) + $9::int)`;

// The conflict targets name the partial unique indexes of migration DataQualityOpenIssueKeys.
const METER_ISSUE = UPSERT(
  `(meter_id, kind, (coalesce(parameter, ''))) WHERE resolved_at IS NULL AND meter_id IS NOT NULL`,
);
const GATEWAY_ISSUE = UPSERT(
  `(gateway_id, kind, (coalesce(parameter, ''))) WHERE resolved_at IS NULL AND meter_id IS NULL`,
);

/**
 * The one way data quality issues are opened: at most one open issue per meter, kind and
 * parameter (per gateway, kind and parameter for a gateway's own issues), kept by a unique index
 * and updated with a running count while it stays open. Safe under concurrent writers.
 */
@Injectable()
export class DataQualityIssuesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async report(
    sighting: DataQualitySighting,
    manager: EntityManager = this.db.manager,
  ): Promise<void> {
    await manager.query(sighting.meterId === null ? GATEWAY_ISSUE : METER_ISSUE, [
      sighting.organizationId,
      sighting.meterId,
      sighting.gatewayId,
      sighting.kind,
      sighting.severity,
      sighting.parameter ?? null,
      sighting.message,
      JSON.stringify(sighting.details),
      sighting.occurrences ?? 1,
      sighting.detectedAt ?? null,
    ]);
  }
}
