/** Audit event types (seed 001's vocabulary, extended). */
export const EventType = {
  UserLogin: 'user.login',
  UserLoginFailed: 'user.login_failed',
  UserLogout: 'user.logout',
  UserCreated: 'user.created',
  UserUpdated: 'user.updated',
  UserDisabled: 'user.disabled',
  OrganizationCreated: 'organization.created',
  PermissionDenied: 'permission.denied',
  RefreshTokenReused: 'auth.refresh_token_reused',
  SiteCreated: 'site.created',
  SiteUpdated: 'site.updated',
  SiteDeleted: 'site.deleted',
  GatewayCreated: 'gateway.created',
  GatewayUpdated: 'gateway.updated',
  GatewayDeleted: 'gateway.deleted',
  DeviceCreated: 'device.created',
  DeviceUpdated: 'device.updated',
  DeviceDeleted: 'device.deleted',
  DeviceStatusChanged: 'device.status_changed',
  DeviceOnline: 'device.online',
  DeviceOffline: 'device.offline',
  DeviceMaintenanceOn: 'device.maintenance_on',
  DeviceDecommissioned: 'device.decommissioned',
  CredentialCreated: 'credentials.created',
  CredentialRotated: 'credentials.rotated',
  CredentialRevoked: 'credentials.revoked',
  IngestAccepted: 'ingest.accepted',
  IngestRejectedAuth: 'ingest.rejected_auth',
  IngestRejectedSchema: 'ingest.rejected_schema',
  IngestBatchLost: 'ingest.batch_lost',
  AuthFailedDevice: 'auth.failed_device',
  DataQualityResolved: 'data_quality.resolved',
  AlertTriggered: 'alert.triggered',
  AlertAcknowledged: 'alert.acknowledged',
  AlertResolved: 'alert.resolved',
  AlertEscalated: 'alert.escalated',
  AlertRuleCreated: 'alert_rule.created',
  AlertRuleUpdated: 'alert_rule.updated',
  AlertRuleDeleted: 'alert_rule.deleted',
  AlertRulesImported: 'alert_rule.imported',
  TicketCreated: 'ticket.created',
  TicketUpdated: 'ticket.updated',
  TicketAssigned: 'ticket.assigned',
  TicketStatusChanged: 'ticket.status_changed',
  TicketMessage: 'ticket.message',
  TicketSnapshotCaptured: 'ticket.snapshot_captured',
  TicketSlaChanged: 'settings.ticket_sla_changed',
  SiteTariffChanged: 'site.tariff_changed',
  ReportSubscribed: 'report.subscribed',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPES: readonly EventType[] = Object.values(EventType);

export interface EventView {
  id: string;
  type: EventType | string;
  actorType: 'user' | 'device' | 'system';
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
  occurredAt: string;
}
