import { Injectable } from '@nestjs/common';
import type { DataQualityIssueView, Page } from '@gridwatch/contracts';
import { EventRecorder, NotFound } from '@gridwatch/server';
import { decodeKeysetCursor, encodeKeysetCursor } from '../../common/keyset-cursor';
import type { RequestActor } from '../auth/authenticated-user';
import { DataQualityIssuesQueryRepository } from './data-quality-issues-query.repository';
import type { ListDataQualityIssuesDto } from './dto/list-data-quality-issues.dto';

/** Listing and resolving data quality issues; detection lives with whoever detects them. */
@Injectable()
export class DataQualityService {
  constructor(
    private readonly issues: DataQualityIssuesQueryRepository,
    private readonly events: EventRecorder,
  ) {}

  async list(
    organizationId: string,
    query: ListDataQualityIssuesDto,
  ): Promise<Page<DataQualityIssueView>> {
    const after = query.cursor ? decodeIssueCursor(query.cursor) : null;
    const { items, total, more } = await this.issues.page(organizationId, query, after);
    const page: Page<DataQualityIssueView> = { items, total };
    const last = items[items.length - 1];
    if (more && last) page.nextCursor = encodeKeysetCursor(last.detectedAt, last.id);
    return page;
  }

  /**
   * Idempotent: resolving a resolved issue answers it unchanged (its first resolution time) and
   * records nothing; only the resolution itself is an audit event. A later sighting opens a new one.
   */
  async resolve(actor: RequestActor, id: string): Promise<DataQualityIssueView> {
    const organizationId = actor.user.organizationId;
    const resolved = await this.issues.resolve(organizationId, id);
    const issue = await this.issues.find(organizationId, id);
    if (!issue) throw new NotFound('data_quality_issue_not_found', 'Data quality issue');
    if (resolved) {
      await this.events.record({
        organizationId,
        type: 'data_quality.resolved',
        actor,
        subject: { type: 'data_quality_issue', id },
        data: {
          kind: issue.kind,
          meterId: issue.meterId,
          gatewayId: issue.gatewayId,
          parameter: issue.parameter,
        },
      });
    }
    return issue;
  }
}

function decodeIssueCursor(cursor: string): { detectedAt: string; id: string } {
  const { at, id } = decodeKeysetCursor(cursor);
  return { detectedAt: at, id };
}
