import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Response } from 'express';
import { Repository } from 'typeorm';
import { PARAMETERS, type Aggregation, type Parameter } from '@gridwatch/contracts';
import { MeterEntity, NotFound, ValidationFailed } from '@gridwatch/server';
import type { ExportReadingsDto, QueryReadingsDto } from './dto/query-readings.dto';
import type { LatestReadingDto, ReadingPageDto, ReadingPointDto } from './dto/reading.dto';
import { ReadingQuery, ReadingsQueryRepository } from './readings-query.repository';

const DAY_MS = 86_400_000;
const EXPORT_CHUNK = 5000;
const CSV_COLUMNS: Array<keyof ReadingPointDto> = [
  'ts',
  'day',
  'parameter',
  'value',
  'unit',
  'quality',
  'source',
  'count',
  'min',
  'max',
  'sum',
  'first',
  'last',
  'consumption',
];

/** Time series reads for one meter of the caller's organization. */
@Injectable()
export class ReadingsService {
  constructor(
    @InjectRepository(MeterEntity) private readonly meters: Repository<MeterEntity>,
    private readonly query: ReadingsQueryRepository,
  ) {}

  async page(
    organizationId: string,
    meterId: string,
    dto: QueryReadingsDto,
  ): Promise<ReadingPageDto> {
    const query = await this.toQuery(organizationId, meterId, dto, dto.limit);
    if (dto.cursor) query.after = decodeCursor(dto.cursor);
    const items = await this.query.page({ ...query, limit: dto.limit + 1 });
    const page: ReadingPageDto = {
      meterId,
      aggregation: query.aggregation,
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      items: items.slice(0, dto.limit),
    };
    const last = page.items[page.items.length - 1];
    if (items.length > dto.limit && last) page.nextCursor = encodeCursor(last);
    return page;
  }

  async latest(organizationId: string, meterId: string): Promise<LatestReadingDto[]> {
    await this.meterOf(organizationId, meterId);
    return this.query.latest(meterId);
  }

  /** Streams every matching row as CSV in keyset chunks: no row limit, no full buffering. */
  async exportCsv(
    organizationId: string,
    meterId: string,
    dto: ExportReadingsDto,
    response: Response,
  ): Promise<void> {
    const query = await this.toQuery(organizationId, meterId, dto, EXPORT_CHUNK);
    const columns = CSV_COLUMNS.filter((column) => includes(query.aggregation, column));
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="meter-${meterId}-${query.aggregation}.csv"`,
    );
    await write(response, `${columns.join(',')}\n`);
    for (;;) {
      const rows = await this.query.page(query);
      if (rows.length === 0) break;
      await write(
        response,
        rows.map((row) => columns.map((column) => csvCell(row[column])).join(',')).join('\n') +
          '\n',
      );
      const last = rows[rows.length - 1] as ReadingPointDto;
      query.after = { ts: new Date(last.ts), parameter: last.parameter };
      if (rows.length < EXPORT_CHUNK) break;
    }
    response.end();
  }

  private async toQuery(
    organizationId: string,
    meterId: string,
    dto: { from?: string; to?: string; parameter?: string; aggregation: Aggregation },
    limit: number,
  ): Promise<ReadingQuery> {
    await this.meterOf(organizationId, meterId);
    const to = dto.to ? new Date(dto.to) : new Date();
    const from = dto.from ? new Date(dto.from) : new Date(to.getTime() - DAY_MS);
    if (from >= to) {
      throw new ValidationFailed('from must be before to', [
        { field: 'from', messages: ['from must be before to'] },
      ]);
    }
    const parameters = dto.parameter ? (dto.parameter.split(',') as Parameter[]) : PARAMETERS;
    return { meterId, parameters, from, to, aggregation: dto.aggregation, limit };
  }

  private async meterOf(organizationId: string, meterId: string): Promise<MeterEntity> {
    const meter = await this.meters.findOneBy({ id: meterId, organizationId });
    if (!meter) throw new NotFound('meter_not_found', 'Meter');
    return meter;
  }
}

function includes(aggregation: Aggregation, column: keyof ReadingPointDto): boolean {
  const raw = ['unit', 'quality', 'source'].includes(column);
  const rollup = ['count', 'min', 'max', 'sum', 'first', 'last', 'consumption'].includes(column);
  if (column === 'day') return aggregation === 'daily';
  if (raw) return aggregation === 'raw';
  if (rollup) return aggregation !== 'raw';
  return true;
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Respects backpressure so a slow client never makes the server buffer the export. */
function write(response: Response, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.write(chunk)) resolve();
    else response.once('drain', () => resolve());
  });
}

function encodeCursor(point: ReadingPointDto): string {
  return Buffer.from(`${point.ts}|${point.parameter}`).toString('base64url');
}

function decodeCursor(cursor: string): { ts: Date; parameter: string } {
  const [ts, parameter] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!ts || !parameter || Number.isNaN(Date.parse(ts))) {
    throw new ValidationFailed('Invalid cursor', [
      { field: 'cursor', messages: ['cursor is not valid'] },
    ]);
  }
  return { ts: new Date(ts), parameter };
}
