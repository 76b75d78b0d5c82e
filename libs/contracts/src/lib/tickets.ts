/** Ticket statuses; the moves between them are `allowedTicketTransitions` in @gridwatch/domain. */
export const TicketStatus = {
  Open: 'open',
  InProgress: 'in_progress',
  Resolved: 'resolved',
  Closed: 'closed',
} as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];
export const TICKET_STATUSES: readonly TicketStatus[] = Object.values(TicketStatus);

export const TicketPriority = {
  Low: 'low',
  Normal: 'normal',
  High: 'high',
  Urgent: 'urgent',
} as const;
export type TicketPriority = (typeof TicketPriority)[keyof typeof TicketPriority];
export const TICKET_PRIORITIES: readonly TicketPriority[] = Object.values(TicketPriority);

/** Sort keys of the ticket list. */
export const TICKET_SORTS = ['createdAt', 'updatedAt', 'priority', 'number', 'dueAt'] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

/** Prefix of a ticket's display number (`GW-1042`); numbers count per organization. */
export const TICKET_NUMBER_PREFIX = 'GW-';

/** The longest ticket subject, in characters. */
export const TICKET_SUBJECT_MAX_LENGTH = 200;
/** The longest message body, in characters (plain text; clients render it escaped). */
export const TICKET_MESSAGE_MAX_LENGTH = 10_000;
/** The largest attachment, in bytes (10 MiB): larger uploads answer 413. */
export const TICKET_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The largest device snapshot document, in bytes of its JSON (256 KiB): larger answers 413. */
export const TICKET_SNAPSHOT_MAX_BYTES = 256 * 1024;

/** Minutes to first response and to resolution, per priority. */
export interface TicketSlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}
export type TicketSlaPolicy = Record<TicketPriority, TicketSlaTarget>;

export interface TicketView {
  id: string;
  /** `GW-1042`: unique within the organization. */
  number: string;
  subject: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  creatorId: string;
  assigneeId: string | null;
  meterId: string | null;
  /** The alert the ticket was opened from (no foreign key until alerts land). */
  alertId: string | null;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  /** When a staff user other than the creator first answered publicly. */
  firstResponseAt: string | null;
  /** Seconds from creation to the first response. */
  firstResponseSeconds: number | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Unanswered past the first-response time, or unresolved past the resolution time. */
  overdue: boolean;
  /** Messages the caller can see, from others, posted after the caller's read marker. */
  unreadCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface TicketAttachmentView {
  id: string;
  messageId: string;
  /** The client's file name with any path removed; the stored file is named by its hash. */
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: string;
}

export interface TicketMessageView {
  id: string;
  ticketId: string;
  authorId: string;
  /** Plain text: render escaped. */
  body: string;
  /** Internal notes are shown only to users with tickets:write. */
  internal: boolean;
  attachments: TicketAttachmentView[];
  createdAt: string;
}

/** What a device snapshot captures of a meter (document version 1). */
export interface DeviceSnapshotDocument {
  schemaVersion: 1;
  capturedAt: string;
  meter: {
    id: string;
    name: string;
    kind: string;
    status: string;
    siteId: string;
    model: string | null;
    firmware: string | null;
    location: string | null;
    lastSeenAt: string | null;
  };
  latestReadings: Array<{
    parameter: string;
    ts: string;
    value: number;
    unit: string;
    quality: string;
  }>;
  dataQualityIssues: Array<{
    id: string;
    kind: string;
    severity: string;
    parameter: string | null;
    message: string;
    detectedAt: string;
    resolvedAt: string | null;
  }>;
  /** The meter's alerts not yet resolved (active or acknowledged), newest first, at most 50. */
  openAlerts: Array<{
    id: string;
    ruleName: string;
    severity: string;
    status: string;
    title: string;
    condition: string;
    parameter: string | null;
    lastValue: number | null;
    triggeredAt: string;
    acknowledgedAt: string | null;
  }>;
  gateway: {
    id: string;
    serialNumber: string;
    name: string;
    protocol: string;
    status: string;
    lastSeenAt: string | null;
    connection: Record<string, unknown>;
  } | null;
}

export interface TicketSnapshotView {
  id: string;
  ticketId: string;
  meterId: string;
  /** 1 for the ticket's first capture, then 2, 3, ... */
  version: number;
  capturedBy: string;
  capturedAt: string;
  sizeBytes: number;
  document: DeviceSnapshotDocument;
}

/** Realtime: a ticket was opened. */
export interface TicketCreatedEvent {
  organizationId: string;
  ticket: TicketView;
}

/** Realtime: a ticket's assignee changed (null: unassigned). */
export interface TicketAssignedEvent {
  organizationId: string;
  ticketId: string;
  number: string;
  assigneeId: string | null;
  by: string;
  at: string;
}

export interface TicketStatusChangedEvent {
  organizationId: string;
  ticketId: string;
  number: string;
  from: TicketStatus;
  to: TicketStatus;
  note: string | null;
  by: string;
  at: string;
}

/** Realtime: a message in the ticket's room (internal notes only in its `ticket_internal` room). */
export interface TicketMessageEvent {
  organizationId: string;
  ticketId: string;
  message: TicketMessageView;
}
