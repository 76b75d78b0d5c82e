import type { AlertView, NotificationView } from './alerts';
import type { GatewayStatus, MeterStatus } from './devices';
import type { Parameter, Quality } from './readings';
import type {
  TicketAssignedEvent,
  TicketCreatedEvent,
  TicketMessageEvent,
  TicketStatusChangedEvent,
} from './tickets';

/** The socket.io namespace of live updates (same origin and port as the API). */
export const REALTIME_NAMESPACE = '/realtime';

/** What a client can subscribe to. Every room lives inside the caller's organization. */
export const RoomKind = {
  Organization: 'organization',
  Site: 'site',
  Meter: 'meter',
  /** A ticket's conversation: same organization and tickets:read. */
  Ticket: 'ticket',
  /** A user's own room: every socket joins its user's on connect; it cannot be subscribed to. */
  User: 'user',
  /** A ticket's internal notes: same organization and tickets:write (never viewers). */
  TicketInternal: 'ticket_internal',
} as const;
export type RoomKind = (typeof RoomKind)[keyof typeof RoomKind];
export const ROOM_KINDS: readonly RoomKind[] = Object.values(RoomKind);

/** A room as the client names it: the organization room needs no id (it is the caller's). */
export interface RoomRef {
  kind: RoomKind;
  id?: string;
}

/** Messages the client sends (each with an acknowledgement callback). */
export const RealtimeCommand = {
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
} as const;
export type RealtimeCommand = (typeof RealtimeCommand)[keyof typeof RealtimeCommand];

/** Domain events pushed to rooms. Ticket events join this map when that feature lands. */
/** Domain events pushed to rooms. Alert and notification events join this map when those features land. */
export const RealtimeEvent = {
  ReadingReceived: 'reading.received',
  DeviceStatusChanged: 'device.status_changed',
  GatewayStatusChanged: 'gateway.status_changed',
  /** A new alert (organization, site and meter rooms). */
  AlertTriggered: 'alert.triggered',
  /** An open alert changed: acknowledged, escalated, or triggered again. */
  AlertUpdated: 'alert.updated',
  AlertResolved: 'alert.resolved',
  /** An in-app notification for the user (the user's own room). */
  NotificationCreated: 'notification.created',
  TicketCreated: 'ticket.created',
  TicketAssigned: 'ticket.assigned',
  TicketStatusChanged: 'ticket.status_changed',
  TicketMessage: 'ticket.message',
} as const;
export type RealtimeEvent = (typeof RealtimeEvent)[keyof typeof RealtimeEvent];
export const REALTIME_EVENTS: readonly RealtimeEvent[] = Object.values(RealtimeEvent);

/** Messages about the connection itself, sent to one socket. */
export const RealtimeNotice = {
  /** A subscription was refused; no data of that room will follow. */
  SubscriptionError: 'subscription_error',
  /** The access token expired: the server disconnects next; reconnect with a fresh token. */
  TokenExpired: 'token_expired',
} as const;
export type RealtimeNotice = (typeof RealtimeNotice)[keyof typeof RealtimeNotice];

/** Why a connection (`connect_error` message) or a subscription was refused. */
export const RealtimeErrorCode = {
  Unauthenticated: 'unauthenticated',
  InvalidToken: 'invalid_token',
  InvalidRoom: 'invalid_room',
  /** The object does not exist in the caller's organization (whether it exists elsewhere is not said). */
  RoomNotFound: 'room_not_found',
  Forbidden: 'forbidden',
  /** A check could not run (database unreachable): retry. */
  Unavailable: 'unavailable',
} as const;
export type RealtimeErrorCode = (typeof RealtimeErrorCode)[keyof typeof RealtimeErrorCode];

/** The acknowledgement of `subscribe` / `unsubscribe`. */
export type SubscriptionAck =
  | { ok: true; room: RoomRef }
  | { ok: false; room: unknown; error: RealtimeErrorCode; message: string };

export interface SubscriptionErrorNotice {
  room: unknown;
  error: RealtimeErrorCode;
  message: string;
}

export interface TokenExpiredNotice {
  /** RFC 3339: when the token expired. */
  expiredAt: string;
}

/** The `data` of a refused connection's `connect_error` (its `message` is the code too). */
export interface ConnectErrorData {
  code: RealtimeErrorCode;
  message: string;
}

/** The newest reading of one (meter, parameter) in a coalescing window. */
export interface LiveReading {
  meterId: string;
  siteId: string;
  parameter: Parameter;
  /** RFC 3339 reading time. */
  ts: string;
  value: number;
  unit: string;
  quality: Quality;
}

/**
 * Readings stored during one coalescing window, for one room: the latest value per
 * (meter, parameter) by reading time. A client in several rooms gets one event per room.
 */
export interface ReadingReceivedEvent {
  organizationId: string;
  room: RoomRef;
  readings: LiveReading[];
}

export interface DeviceStatusChangedEvent {
  organizationId: string;
  meterId: string;
  siteId: string;
  gatewayId: string | null;
  from: MeterStatus;
  to: MeterStatus;
  reason: string | null;
  /** RFC 3339. */
  at: string;
}

export interface GatewayStatusChangedEvent {
  organizationId: string;
  gatewayId: string;
  siteId: string;
  from: GatewayStatus;
  to: GatewayStatus;
  /** RFC 3339. */
  at: string;
}

export interface AlertChangedEvent {
  organizationId: string;
  alert: AlertView;
}

export interface NotificationCreatedEvent {
  organizationId: string;
  userId: string;
  notification: NotificationView;
}

/** Payload type of each event: the server publishes and the client listens through this map. */
export interface RealtimeEventPayloads {
  'reading.received': ReadingReceivedEvent;
  'device.status_changed': DeviceStatusChangedEvent;
  'gateway.status_changed': GatewayStatusChangedEvent;
  'alert.triggered': AlertChangedEvent;
  'alert.updated': AlertChangedEvent;
  'alert.resolved': AlertChangedEvent;
  'notification.created': NotificationCreatedEvent;
  'ticket.created': TicketCreatedEvent;
  'ticket.assigned': TicketAssignedEvent;
  'ticket.status_changed': TicketStatusChangedEvent;
  'ticket.message': TicketMessageEvent;
}

/** `GET /api/v1/realtime/metrics`: counters of the answering API instance since it started. */
export interface RealtimeMetricsView {
  instance: string;
  connectedClients: number;
  connectionsRefused: number;
  subscriptionsRefused: number;
  /**
   * Events this instance published, per type: a status change counts once however many rooms it
   * went to; coalesced readings count once per room and window.
   */
  eventsSent: Record<string, number>;
}
