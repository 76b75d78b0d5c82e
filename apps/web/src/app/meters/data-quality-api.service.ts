import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { DataQualityIssueView, Page } from '@gridwatch/contracts';
import { Observable } from 'rxjs';
import { apiUrl } from '../shared/api-url';

/** Data quality issues (out of range, counter glitches, communication errors, ...). */
@Injectable({ providedIn: 'root' })
export class DataQualityApiService {
  private readonly http = inject(HttpClient);

  forMeter(meterId: string, limit = 20): Observable<Page<DataQualityIssueView>> {
    return this.http.get<Page<DataQualityIssueView>>(apiUrl('data-quality-issues'), {
      params: { meterId, limit },
    });
  }

  resolve(id: string): Observable<DataQualityIssueView> {
    return this.http.post<DataQualityIssueView>(
      apiUrl(`data-quality-issues/${encodeURIComponent(id)}/resolve`),
      {},
    );
  }
}
