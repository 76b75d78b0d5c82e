import { AlertEventEntity } from './alert-event.entity';
import { AlertRuleStateEntity } from './alert-rule-state.entity';
import { AlertRuleEntity } from './alert-rule.entity';
import { AlertEntity } from './alert.entity';
import { NotificationDeliveryEntity } from './notification-delivery.entity';
import { NotificationEntity } from './notification.entity';
import { DataQualityIssueEntity } from './data-quality-issue.entity';
import { DeviceCredentialEntity } from './device-credential.entity';
import { EventEntity } from './event.entity';
import { GatewayEntity } from './gateway.entity';
import { IngestBatchEntity } from './ingest-batch.entity';
import { MeterEntity } from './meter.entity';
import { OrganizationEntity } from './organization.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SiteEntity } from './site.entity';
import { UserEntity } from './user.entity';

export {
  AlertEntity,
  AlertEventEntity,
  AlertRuleEntity,
  AlertRuleStateEntity,
  NotificationDeliveryEntity,
  NotificationEntity,
  DataQualityIssueEntity,
  DeviceCredentialEntity,
  EventEntity,
  GatewayEntity,
  IngestBatchEntity,
  MeterEntity,
  OrganizationEntity,
  RefreshTokenEntity,
  SiteEntity,
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
  AlertRuleEntity,
  AlertRuleStateEntity,
  AlertEntity,
  AlertEventEntity,
  NotificationEntity,
  NotificationDeliveryEntity,
];
