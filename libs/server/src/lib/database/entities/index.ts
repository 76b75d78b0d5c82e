import { DataQualityIssueEntity } from './data-quality-issue.entity';
import { DeviceCredentialEntity } from './device-credential.entity';
import { EventEntity } from './event.entity';
import { GatewayEntity } from './gateway.entity';
import { IngestBatchEntity } from './ingest-batch.entity';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { ReportSubscriptionEntity } from './report-subscription.entity';
import { SiteEntity } from './site.entity';
import { SiteTariffEntity } from './site-tariff.entity';
import { UserEntity } from './user.entity';

export {
  DataQualityIssueEntity,
  DeviceCredentialEntity,
  EventEntity,
  GatewayEntity,
  IngestBatchEntity,
  MeterEntity,
  OrganizationEntity,
  RefreshTokenEntity,
  ReportSubscriptionEntity,
  SiteEntity,
  SiteTariffEntity,
  UserEntity,
};

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  RefreshTokenEntity,
  SiteEntity,
  GatewayEntity,
  MeterEntity,
  DeviceCredentialEntity,
  EventEntity,
  IngestBatchEntity,
  DataQualityIssueEntity,
  SiteTariffEntity,
  ReportSubscriptionEntity,
];
