import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Aggregation, Parameter, Quality } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';
import type { ReadingPoint } from './reading-range';

/** `GET /meters/{id}/readings`: one page of raw readings or rollup buckets. */
export interface ReadingPage {
  meterId: string;
  aggregation: Aggregation;
  from: string;
  to: string;
  items: (ReadingPoint & {
    unit?: string;
    quality?: Quality;
    day?: string;
    consumption?: number | null;
  })[];
  nextCursor?: string;
}

export interface LatestReading {
  parameter: Parameter;
  ts: string;
  value: number;
  unit: string;
  quality: Quality;
}

export interface ReadingQuery {
  from: Date;
  to: Date;
  parameter: Parameter;
  aggregation: Aggregation;
}

/** The largest page the API answers: a chart shows at most this many raw points. */
export const MAX_POINTS = 5000;

/** A meter's stored readings: series, latest values, CSV export. */
@Injectable({ providedIn: 'root' })
export class ReadingsApiService {
  private readonly http = inject(HttpClient);

  page(meterId: string, query: ReadingQuery): Observable<ReadingPage> {
    return this.http.get<ReadingPage>(this.url(meterId, ''), {
      params: { ...params(query), limit: MAX_POINTS },
    });
  }

  latest(meterId: string): Observable<LatestReading[]> {
    return this.http.get<LatestReading[]>(this.url(meterId, '/latest'));
  }

  /** The CSV of every reading (or bucket) of the range: fetched with the session's token. */
  exportCsv(meterId: string, query: ReadingQuery): Observable<Blob> {
    return this.http.get(this.url(meterId, '/export.csv'), {
      params: params(query),
      responseType: 'blob',
    });
  }

  private url(meterId: string, suffix: string): string {
    return apiUrl(`meters/${encodeURIComponent(meterId)}/readings${suffix}`);
  }
}

function params(query: ReadingQuery): Record<string, string> {
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    parameter: query.parameter,
    aggregation: query.aggregation,
  };
}
