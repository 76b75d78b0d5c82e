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
import { ReportSubscriptionEntity } from './report-subscription.entity';
import { SiteEntity } from './site.entity';
import { SiteTariffEntity } from './site-tariff.entity';
import { UserEntity } from './user.entity';
import { TicketEntity } from './ticket.entity';
import { TicketMessageEntity } from './ticket-message.entity';
import { TicketAttachmentEntity } from './ticket-attachment.entity';
import { TicketSnapshotEntity } from './ticket-snapshot.entity';
import { TicketReadMarkerEntity } from './ticket-read-marker.entity';
import { TicketSequenceEntity } from './ticket-sequence.entity';

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
  ReportSubscriptionEntity,
  SiteEntity,
  SiteTariffEntity,
  UserEntity,
  TicketEntity,
  TicketMessageEntity,
  TicketAttachmentEntity,
  TicketSnapshotEntity,
  TicketReadMarkerEntity,
  TicketSequenceEntity,
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
  TicketEntity,
  TicketMessageEntity,
  TicketAttachmentEntity,
  TicketSnapshotEntity,
  TicketReadMarkerEntity,
  TicketSequenceEntity,
  SiteTariffEntity,
  ReportSubscriptionEntity,
];
