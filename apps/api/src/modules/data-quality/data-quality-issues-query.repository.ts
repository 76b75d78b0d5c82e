import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DataQualityIssueView } from '@gridwatch/contracts';
import type { ListDataQualityIssuesDto } from './dto/list-data-quality-issues.dto';

interface Row {
  id: string;
  site_id: string | null;
  meter_id: string | null;
  gateway_id: string | null;
  kind: DataQualityIssueView['kind'];
  severity: DataQualityIssueView['severity'];
  parameter: string | null;
  message: string;
  details: Record<string, unknown>;
  detected_at: Date;
  resolved_at: Date | null;
}

/** An issue belongs to its meter's site, or (a gateway's own issue) to its gateway's site. */
const ISSUES = `
  SELECT i.id, coalesce(m.site_id, g.site_id) AS site_id, i.meter_id, i.gateway_id, i.kind,
         i.severity, i.parameter, i.message, i.details, i.detected_at, i.resolved_at
  FROM data_quality_issues i
  LEFT JOIN meters m ON m.id = i.meter_id
  LEFT JOIN gateways g ON g.id = i.gateway_id`;

const FILTERS = `
  WHERE i.organization_id = $1
    AND ($2::uuid IS NULL OR coalesce(m.site_id, g.site_id) = $2)
    AND ($3::uuid IS NULL OR i.meter_id = $3)
    AND ($4::text IS NULL OR i.kind = $4)
    AND ($5::text IS NULL OR i.severity = $5)
    AND ($6::boolean IS NULL OR (i.resolved_at IS NULL) = $6)`;

/** Reads and resolution of data quality issues, always inside one organization. */
@Injectable()
export class DataQualityIssuesQueryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first, keyset-paginated on (detected_at, id). */
  async page(
    organizationId: string,
    query: ListDataQualityIssuesDto,
    after: { detectedAt: string; id: string } | null,
  ): Promise<{ items: DataQualityIssueView[]; total: number; more: boolean }> {
    const filters = [
      organizationId,
      query.siteId ?? null,
      query.meterId ?? null,
      query.kind ?? null,
      query.severity ?? null,
      query.open ?? null,
    ];
    const [{ total }] = (await this.db.query(
      `SELECT count(*)::int AS total FROM data_quality_issues i
       LEFT JOIN meters m ON m.id = i.meter_id
       LEFT JOIN gateways g ON g.id = i.gateway_id ${FILTERS}`,
      filters,
    )) as [{ total: number }];
    const rows = (await this.db.query(
      `${ISSUES} ${FILTERS}
         AND ($7::timestamptz IS NULL OR (i.detected_at, i.id) < ($7::timestamptz, $8::uuid))
       ORDER BY i.detected_at DESC, i.id DESC
       LIMIT $9`,
      [...filters, after?.detectedAt ?? null, after?.id ?? null, query.limit + 1],
    )) as Row[];
    return {
      items: rows.slice(0, query.limit).map(toView),
      total,
      more: rows.length > query.limit,
    };
  }

  async find(organizationId: string, id: string): Promise<DataQualityIssueView | null> {
    const [row] = (await this.db.query(`${ISSUES} WHERE i.organization_id = $1 AND i.id = $2`, [
      organizationId,
      id,
    ])) as Row[];
    return row ? toView(row) : null;
  }

  /** Resolves an open issue; false when it is not open (resolved before, or not there). */
  async resolve(organizationId: string, id: string): Promise<boolean> {
    const [, updated] = (await this.db.query(
      `UPDATE data_quality_issues SET resolved_at = now()
       WHERE organization_id = $1 AND id = $2 AND resolved_at IS NULL`,
      [organizationId, id],
    )) as [unknown[], number];
    return updated > 0;
  }
}

function toView(row: Row): DataQualityIssueView {
  return {
    id: row.id,
    siteId: row.site_id,
    meterId: row.meter_id,
    gatewayId: row.gateway_id,
    kind: row.kind,
    severity: row.severity,
    parameter: row.parameter,
    message: row.message,
    details: row.details,
    detectedAt: row.detected_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
  };
}
