import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PARAMETERS, type Aggregation, type Parameter } from '@gridwatch/contracts';
import type { LatestReadingDto, ReadingPointDto } from './dto/reading.dto';

export interface ReadingQuery {
  meterId: string;
  parameters: readonly Parameter[];
  from: Date;
  to: Date;
  aggregation: Aggregation;
  limit: number;
  /** Keyset position: the last (ts, parameter) of the previous page. */
  after?: { ts: Date; parameter: string };
}

const ROLLUP_TABLES: Record<Exclude<Aggregation, 'raw'>, string> = {
  '5m': 'reading_rollups_5m',
  hourly: 'reading_rollups_1h',
  daily: 'reading_rollups_1d',
};

interface Row {
  ts: Date;
  parameter: Parameter;
  value: number | null;
  unit?: string;
  quality?: ReadingPointDto['quality'];
  source?: ReadingPointDto['source'];
  day?: string;
  count?: number;
  excludedCount?: number;
  min?: number | null;
  max?: number | null;
  sum?: number;
  first?: number | null;
  last?: number | null;
  consumption?: number | null;
}

/** Reads of raw readings and rollups, keyset-paginated on (ts, parameter). */
@Injectable()
export class ReadingsQueryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(query: ReadingQuery): Promise<ReadingPointDto[]> {
    const rows = (await this.db.query(this.sql(query.aggregation), [
      query.meterId,
      query.parameters,
      query.from,
      query.to,
      query.after?.ts ?? null,
      query.after?.parameter ?? '',
      query.limit,
    ])) as Row[];
    return rows.map(toPoint);
  }

  async latest(meterId: string): Promise<LatestReadingDto[]> {
    // One backward index probe per parameter instead of scanning every partition.
    const rows = (await this.db.query(
      `SELECT l.* FROM unnest($2::text[]) AS p(parameter)
       CROSS JOIN LATERAL (
         SELECT r.parameter, r.ts, r.value, r.unit, r.quality FROM readings r
         WHERE r.meter_id = $1 AND r.parameter = p.parameter
         ORDER BY r.ts DESC LIMIT 1
       ) l
       ORDER BY l.parameter`,
      [meterId, PARAMETERS],
    )) as Array<Omit<LatestReadingDto, 'ts'> & { ts: Date }>;
    return rows.map((row) => ({ ...row, ts: row.ts.toISOString() }));
  }

  private sql(aggregation: Aggregation): string {
    const keyset = `($5::timestamptz IS NULL OR (%ts%, parameter) > ($5::timestamptz, $6::text))`;
    if (aggregation === 'raw') {
      return `SELECT ts, parameter, value, unit, quality, source FROM readings
              WHERE meter_id = $1 AND parameter = ANY($2::text[]) AND ts >= $3 AND ts < $4
                AND ${keyset.replace('%ts%', 'ts')}
              ORDER BY ts, parameter LIMIT $7`;
    }
    const day = aggregation === 'daily' ? `, to_char(day, 'YYYY-MM-DD') AS day` : '';
    return `SELECT bucket AS ts, parameter, CASE WHEN count > 0 THEN sum / count END AS value,
                   count, excluded_count AS "excludedCount", min, max, sum,
                   first_value AS first, last_value AS last, consumption${day}
            FROM ${ROLLUP_TABLES[aggregation]}
            WHERE meter_id = $1 AND parameter = ANY($2::text[]) AND bucket >= $3 AND bucket < $4
              AND ${keyset.replace('%ts%', 'bucket')}
            ORDER BY bucket, parameter LIMIT $7`;
  }
}

function toPoint(row: Row): ReadingPointDto {
  const point: ReadingPointDto = { ...row, ts: row.ts.toISOString() };
  for (const key of Object.keys(point) as Array<keyof ReadingPointDto>) {
    if (point[key] === undefined) delete point[key];
  }
  return point;
}
