import { InitialSchema1795441824483 } from './1795441824483-initial-schema';
import { IngestBatchesAndQuality1795442577947 } from './1795442577947-ingest-batches-and-quality';
import { ReadingsStorage1795442577948 } from './1795442577948-readings-storage';
import { IngestBatchFailures1795600000000 } from './1795600000000-ingest-batch-failures';
import { DataQualityOpenIssueKeys1795600000001 } from './1795600000001-data-quality-open-issue-keys';
import { RollupQuality1795600000002 } from './1795600000002-rollup-quality';
import { RollupDirty1795600000003 } from './1795600000003-rollup-dirty';
import { Alerts1795700000000 } from './1795700000000-alerts';
import { TicketsSupport1795750000000 } from './1795750000000-tickets-support';
import { SiteTariffs1795760000000 } from './1795760000000-site-tariffs';
import { ReportSubscriptions1795760000001 } from './1795760000001-report-subscriptions';
import { TicketAlertLink1795770000000 } from './1795770000000-ticket-alert-link';
import { SiteTariffOneHome1795780000000 } from './1795780000000-site-tariff-one-home';
import { ReportSubscriptionLastRun1795780000001 } from './1795780000001-report-subscription-last-run';
import { RollupDirtyCounterKey1795790000000 } from './1795790000000-rollup-dirty-counter-key';

/** Every migration, in order. New ones come from `npm run db:generate -- <Name>`. */
export const MIGRATIONS = [
  InitialSchema1795441824483,
  IngestBatchesAndQuality1795442577947,
  ReadingsStorage1795442577948,
  IngestBatchFailures1795600000000,
  DataQualityOpenIssueKeys1795600000001,
  RollupQuality1795600000002,
  RollupDirty1795600000003,
  Alerts1795700000000,
  TicketsSupport1795750000000,
  SiteTariffs1795760000000,
  ReportSubscriptions1795760000001,
  TicketAlertLink1795770000000,
  SiteTariffOneHome1795780000000,
  ReportSubscriptionLastRun1795780000001,
  RollupDirtyCounterKey1795790000000,
];
