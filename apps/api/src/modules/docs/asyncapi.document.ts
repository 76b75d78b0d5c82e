import type { OpenAPIObject } from '@nestjs/swagger';
import {
  ALERT_CONDITIONS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  AlertNotificationEvent,
  AlertResolution,
  type AlertChangedEvent,
  type AlertView,
  type NotificationCreatedEvent,
  type NotificationView,
  type ConnectErrorData,
  type DeviceStatusChangedEvent,
  GATEWAY_STATUSES,
  type GatewayStatusChangedEvent,
  type LiveReading,
  METER_STATUSES,
  MQTT_QOS,
  MqttTopic,
  MqttUserProperty,
  PARAMETERS,
  QUALITIES,
  REALTIME_NAMESPACE,
  RealtimeCommand,
  RealtimeErrorCode,
  RealtimeEvent,
  RealtimeNotice,
  ROOM_KINDS,
  type ReadingReceivedEvent,
  type RoomRef,
  type SubscriptionErrorNotice,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketAssignedEvent,
  type TicketAttachmentView,
  type TicketCreatedEvent,
  type TicketMessageEvent,
  type TicketMessageView,
  type TicketStatusChangedEvent,
  type TicketView,
  type TokenExpiredNotice,
} from '@gridwatch/contracts';

/** A JSON Schema (AsyncAPI Schema) object. */
type Schema = Record<string, unknown>;
export type AsyncApiDocument = Record<string, unknown> & { asyncapi: string };

const ref = (path: string) => ({ $ref: path });
const uuid: Schema = { type: 'string', format: 'uuid' };
const dateTime: Schema = { type: 'string', format: 'date-time', description: 'RFC 3339' };

/**
 * An object schema that names every property of the contract `T`: a field added to the
 * interface without its schema here does not compile.
 */
function objectOf<T>(
  properties: { [K in keyof Required<T>]: Schema },
  optional: ReadonlyArray<keyof T> = [],
): Schema {
  const names = Object.keys(properties);
  return {
    type: 'object',
    required: names.filter((name) => !optional.includes(name as keyof T)),
    properties,
  };
}

const room = objectOf<RoomRef>(
  {
    kind: { type: 'string', enum: ROOM_KINDS },
    id: { ...uuid, description: 'Not needed for the organization room (the caller’s own)' },
  },
  ['id'],
);
const realtimeError: Schema = { type: 'string', enum: Object.values(RealtimeErrorCode) };

const liveReading = objectOf<LiveReading>({
  meterId: uuid,
  siteId: uuid,
  parameter: { type: 'string', enum: PARAMETERS },
  ts: dateTime,
  value: { type: 'number' },
  unit: { type: 'string', description: 'The parameter’s canonical unit' },
  quality: { type: 'string', enum: QUALITIES },
});

const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const severity: Schema = { type: 'string', enum: ALERT_SEVERITIES };

const alertView = objectOf<AlertView>({
  id: uuid,
  ruleId: nullable(uuid),
  ruleName: { type: 'string' },
  meterId: uuid,
  meterName: { type: 'string' },
  siteId: uuid,
  condition: { type: 'string', enum: ALERT_CONDITIONS },
  parameter: nullable({ type: 'string', enum: PARAMETERS }),
  severity,
  status: { type: 'string', enum: ALERT_STATUSES },
  title: { type: 'string' },
  message: { type: 'string' },
  threshold: nullable({ type: 'number' }),
  firstValue: nullable({ type: 'number' }),
  lastValue: nullable({ type: 'number' }),
  occurrences: { type: 'integer' },
  escalationLevel: { type: 'integer' },
  triggeredAt: dateTime,
  lastTriggeredAt: dateTime,
  acknowledgedAt: nullable(dateTime),
  acknowledgedBy: nullable(uuid),
  acknowledgeNote: nullable({ type: 'string' }),
  resolvedAt: nullable(dateTime),
  resolvedBy: { ...nullable(uuid), description: 'Null when resolved automatically' },
  resolution: nullable({ type: 'string', enum: Object.values(AlertResolution) }),
  resolveNote: nullable({ type: 'string' }),
});
const alertChanged = objectOf<AlertChangedEvent>({ organizationId: uuid, alert: alertView });
const notificationView = objectOf<NotificationView>({
  id: uuid,
  alertId: nullable(uuid),
  event: { type: 'string', enum: Object.values(AlertNotificationEvent) },
  title: { type: 'string' },
  body: { type: 'string' },
  severity,
  read: { type: 'boolean' },
  createdAt: dateTime,
});

const ticketStatus: Schema = { type: 'string', enum: TICKET_STATUSES };
const ticketNumber: Schema = { type: 'string', example: 'GW-1042' };

const ticket = objectOf<TicketView>({
  id: uuid,
  number: ticketNumber,
  subject: { type: 'string' },
  description: { type: 'string', description: 'Plain text' },
  priority: { type: 'string', enum: TICKET_PRIORITIES },
  status: ticketStatus,
  creatorId: uuid,
  assigneeId: nullable(uuid),
  meterId: nullable(uuid),
  alertId: nullable(uuid),
  firstResponseDueAt: dateTime,
  resolutionDueAt: dateTime,
  firstResponseAt: nullable(dateTime),
  firstResponseSeconds: { type: ['integer', 'null'] },
  resolvedAt: nullable(dateTime),
  closedAt: nullable(dateTime),
  overdue: { type: 'boolean' },
  unreadCount: { type: 'integer' },
  createdAt: dateTime,
  updatedAt: dateTime,
});

const ticketAttachment = objectOf<TicketAttachmentView>({
  id: uuid,
  messageId: uuid,
  fileName: { type: 'string' },
  contentType: { type: 'string' },
  sizeBytes: { type: 'integer' },
  sha256: { type: 'string' },
  createdAt: dateTime,
});

const ticketMessage = objectOf<TicketMessageView>({
  id: uuid,
  ticketId: uuid,
  authorId: uuid,
  body: { type: 'string', description: 'Plain text: render escaped' },
  internal: { type: 'boolean' },
  attachments: { type: 'array', items: ticketAttachment },
  createdAt: dateTime,
});

/** The payload of every event in `RealtimeEvent`: a new event without one does not compile. */
const REALTIME_PAYLOADS: { [E in RealtimeEvent]: { summary: string; payload: Schema } } = {
  'reading.received': {
    summary:
      'Readings stored in one coalescing window for one room: the latest per (meter, parameter)',
    payload: objectOf<ReadingReceivedEvent>({
      organizationId: uuid,
      room,
      readings: { type: 'array', items: liveReading },
    }),
  },
  'device.status_changed': {
    summary: 'A meter went online, offline, into or out of maintenance, or was decommissioned',
    payload: objectOf<DeviceStatusChangedEvent>({
      organizationId: uuid,
      meterId: uuid,
      siteId: uuid,
      gatewayId: { oneOf: [uuid, { type: 'null' }] },
      from: { type: 'string', enum: METER_STATUSES },
      to: { type: 'string', enum: METER_STATUSES },
      reason: { type: ['string', 'null'] },
      at: dateTime,
    }),
  },
  'gateway.status_changed': {
    summary: 'A gateway went online, degraded or offline',
    payload: objectOf<GatewayStatusChangedEvent>({
      organizationId: uuid,
      gatewayId: uuid,
      siteId: uuid,
      from: { type: 'string', enum: GATEWAY_STATUSES },
      to: { type: 'string', enum: GATEWAY_STATUSES },
      at: dateTime,
    }),
  },
  'alert.triggered': {
    summary: 'A new alert, in the organization, site and meter rooms',
    payload: alertChanged,
  },
  'alert.updated': {
    summary: 'An open alert was acknowledged, escalated or triggered again',
    payload: alertChanged,
  },
  'alert.resolved': {
    summary: 'An alert was resolved, by a user or automatically',
    payload: alertChanged,
  },
  'notification.created': {
    summary: 'An in-app notification for the connected user (sent to the user’s own room)',
    payload: objectOf<NotificationCreatedEvent>({
      organizationId: uuid,
      userId: uuid,
      notification: notificationView,
    }),
  },
  'ticket.created': {
    summary: 'A ticket was opened (organization and ticket rooms)',
    payload: objectOf<TicketCreatedEvent>({ organizationId: uuid, ticket }),
  },
  'ticket.assigned': {
    summary: "A ticket's assignee changed (null: unassigned)",
    payload: objectOf<TicketAssignedEvent>({
      organizationId: uuid,
      ticketId: uuid,
      number: ticketNumber,
      assigneeId: nullable(uuid),
      by: uuid,
      at: dateTime,
    }),
  },
  'ticket.status_changed': {
    summary: 'A ticket moved through its status machine',
    payload: objectOf<TicketStatusChangedEvent>({
      organizationId: uuid,
      ticketId: uuid,
      number: ticketNumber,
      from: ticketStatus,
      to: ticketStatus,
      note: { type: ['string', 'null'] },
      by: uuid,
      at: dateTime,
    }),
  },
  'ticket.message': {
    summary:
      'A message in the ticket room; internal notes go only to the ticket_internal room ' +
      '(tickets:write), never to viewers',
    payload: objectOf<TicketMessageEvent>({
      organizationId: uuid,
      ticketId: uuid,
      message: ticketMessage,
    }),
  },
};

const NOTICES: { [N in RealtimeNotice]: { summary: string; payload: Schema } } = {
  subscription_error: {
    summary: 'A subscription was refused; no data of that room follows',
    payload: objectOf<SubscriptionErrorNotice>({
      room: { description: 'The room as sent' },
      error: realtimeError,
      message: { type: 'string' },
    }),
  },
  token_expired: {
    summary: 'The access token expired: the server disconnects next; reconnect with a fresh one',
    payload: objectOf<TokenExpiredNotice>({ expiredAt: dateTime }),
  },
};

const SUBSCRIPTION_ACK: Schema = {
  oneOf: [
    {
      type: 'object',
      required: ['ok', 'room'],
      properties: { ok: { const: true }, room },
    },
    {
      type: 'object',
      required: ['ok', 'room', 'error', 'message'],
      properties: {
        ok: { const: false },
        room: { description: 'The room as sent' },
        error: realtimeError,
        message: { type: 'string' },
      },
    },
  ],
};

/** The device payload schemas, taken from the OpenAPI document so both describe one contract. */
const DEVICE_SCHEMAS = ['GatewayBatchDto', 'DeviceSampleDto', 'GatewayPingDto'] as const;

/** OpenAPI 3.0 schemas -> AsyncAPI (JSON Schema draft 07): `nullable` becomes a `null` type. */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (typeof value !== 'object' || value === null) return value;
  const { nullable, ...rest } = value as Schema;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, inner]) => [key, toJsonSchema(inner)]),
  );
  if (nullable === true && typeof converted['type'] === 'string') {
    converted['type'] = [converted['type'], 'null'];
  }
  return converted;
}

/** The named schemas and every schema they reference, in AsyncAPI form. */
function deviceSchemas(openApi: OpenAPIObject): Record<string, Schema> {
  const all = openApi.components?.schemas ?? {};
  const picked: Record<string, Schema> = {};
  const visit = (name: string) => {
    if (picked[name] || !all[name]) return;
    picked[name] = toJsonSchema(all[name]) as Schema;
    const refs = JSON.stringify(all[name]).matchAll(/#\/components\/schemas\/(\w+)/g);
    for (const [, inner] of refs) visit(inner);
  };
  DEVICE_SCHEMAS.forEach(visit);
  return picked;
}

const EXAMPLE_SIGNATURE = '3f1c9a0e5b7d24c6a8e0f2b4d6c8a0e1f3b5d7c9e1a3b5c7d9e0f2a4b6c8d0e2';

const signatureProperties = {
  [MqttUserProperty.Timestamp]: {
    type: 'string',
    pattern: '^[0-9]{9,11}$',
    description: 'Unix seconds, within the replay window (REPLAY_WINDOW_SECONDS, default 300)',
  },
  [MqttUserProperty.Signature]: {
    type: 'string',
    pattern: '^[0-9a-fA-F]{64}$',
    description: 'hex(HMAC-SHA256(device secret, timestamp + "." + body))',
  },
};

/** MQTT 5: the document is the payload; timestamp and signature are user properties. */
function mqtt5Message(title: string, payload: Schema, example: unknown): Schema {
  return {
    name: title,
    title: `${title} (MQTT 5)`,
    contentType: 'application/json',
    summary: 'The JSON document as the payload; timestamp and signature as MQTT 5 user properties',
    headers: {
      type: 'object',
      description: 'MQTT 5 user properties',
      required: Object.keys(signatureProperties),
      properties: signatureProperties,
    },
    payload,
    examples: [
      { headers: { timestamp: '1795428000', signature: EXAMPLE_SIGNATURE }, payload: example },
    ],
  };
}

/** MQTT 3.1.1 has no user properties: the signed document travels inside an envelope. */
function envelopeMessage(title: string, example: unknown): Schema {
  return {
    name: `${title}Envelope`,
    title: `${title} (MQTT 3.1.1 envelope)`,
    contentType: 'application/json',
    summary: 'The signed JSON document as a string inside {timestamp, signature, body}',
    payload: {
      type: 'object',
      required: [...Object.keys(signatureProperties), 'body'],
      properties: {
        ...signatureProperties,
        body: {
          type: 'string',
          contentMediaType: 'application/json',
          description: 'The JSON document, as a string: exactly the bytes that were signed',
        },
      },
    },
    examples: [
      {
        payload: {
          timestamp: '1795428000',
          signature: EXAMPLE_SIGNATURE,
          body: JSON.stringify(example),
        },
      },
    ],
  };
}

/** What the three device topics carry, and how the transport takes them. */
function mqttChannels(examples: DeviceExamples) {
  const serial = { description: 'The gateway’s serial number; only its secret verifies' };
  const meter = { description: 'The direct device’s (meter’s) UUID; only its secret verifies' };
  const status: Schema = {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['online', 'offline'] },
    },
    allOf: [{ $ref: '#/components/schemas/GatewayStatusDetails' }],
  };
  return {
    gatewayReadings: {
      address: MqttTopic.GatewayReadings,
      title: 'Gateway readings',
      description: 'A gateway’s batch of readings, the body of `POST /api/v1/readings/ingest`.',
      parameters: { serial },
      messages: {
        gatewayBatch: mqtt5Message('gatewayBatch', deviceRef('GatewayBatchDto'), examples.batch),
        gatewayBatchEnvelope: envelopeMessage('gatewayBatch', examples.batch),
      },
    },
    gatewayStatus: {
      address: MqttTopic.GatewayStatus,
      title: 'Gateway status',
      description:
        'Heartbeat (`"online"`, retained, with the ping’s connection details) and last will ' +
        '(`"offline"`, signed when the gateway connects).',
      parameters: { serial },
      messages: {
        gatewayStatus: mqtt5Message('gatewayStatus', status, examples.status),
        gatewayStatusEnvelope: envelopeMessage('gatewayStatus', examples.status),
      },
    },
    meterReadings: {
      address: MqttTopic.MeterReadings,
      title: 'Direct device sample',
      description: 'One direct-device sample, the body of `POST /api/v1/ingest`.',
      parameters: { uuid: meter },
      messages: {
        deviceSample: mqtt5Message('deviceSample', deviceRef('DeviceSampleDto'), examples.sample),
        deviceSampleEnvelope: envelopeMessage('deviceSample', examples.sample),
      },
    },
  };
}

function deviceRef(name: (typeof DEVICE_SCHEMAS)[number]): Schema {
  return ref(`#/components/schemas/${name}`);
}

const SHARED_SUBSCRIPTION =
  'The transport subscribes with a shared subscription, `$share/{MQTT_SHARE_GROUP}/<topic with + ' +
  'for the device>`: the broker hands each message to one transport instance of the group. QoS 1; ' +
  'the PUBACK is held back until the message is enqueued (or refused for good).';

function receive(channel: string, summary: string, retain = false): Schema {
  return {
    action: 'receive',
    channel: ref(`#/channels/${channel}`),
    summary,
    description: SHARED_SUBSCRIPTION,
    bindings: { mqtt: { qos: MQTT_QOS, retain, bindingVersion: '0.2.0' } },
  };
}

const camel = (name: string) =>
  name.replace(/(^|[._])(\w)/g, (_, _separator: string, letter: string) => letter.toUpperCase());

export interface DeviceExamples {
  batch: unknown;
  sample: unknown;
  status: unknown;
}

/**
 * The AsyncAPI 3.0 document of GridWatch's message interfaces: the MQTT device topics (the
 * transport's side) and the socket.io events of `/realtime` (the API's side). Names and enums
 * come from `@gridwatch/contracts`, device payload schemas from the OpenAPI document.
 */
export function buildAsyncApi(openApi: OpenAPIObject, examples: DeviceExamples): AsyncApiDocument {
  const events = Object.values(RealtimeEvent);
  const notices = Object.values(RealtimeNotice);
  const commands = Object.values(RealtimeCommand);
  const realtimeMessages: Record<string, Schema> = {};
  for (const event of events) {
    realtimeMessages[event] = { name: event, ...REALTIME_PAYLOADS[event] };
  }
  for (const notice of notices) realtimeMessages[notice] = { name: notice, ...NOTICES[notice] };
  for (const command of commands) {
    realtimeMessages[command] = {
      name: command,
      summary: `${command} a room (with an acknowledgement callback)`,
      payload: room,
    };
  }
  realtimeMessages['subscriptionAck'] = {
    name: 'acknowledgement',
    summary: 'The acknowledgement of subscribe / unsubscribe',
    payload: SUBSCRIPTION_ACK,
  };
  const operations: Record<string, Schema> = {
    receiveGatewayReadings: receive('gatewayReadings', 'Take a gateway’s batch of readings'),
    receiveGatewayStatus: receive('gatewayStatus', 'Take a gateway heartbeat or last will', true),
    receiveMeterReadings: receive('meterReadings', 'Take a direct device’s sample'),
  };
  for (const name of [...events, ...notices]) {
    operations[`send${camel(name)}`] = {
      action: 'send',
      channel: ref('#/channels/realtime'),
      summary: `Push \`${name}\``,
      messages: [ref(`#/channels/realtime/messages/${name}`)],
    };
  }
  for (const command of commands) {
    operations[`receive${camel(command)}`] = {
      action: 'receive',
      channel: ref('#/channels/realtime'),
      summary: `A client's \`${command}\``,
      messages: [ref(`#/channels/realtime/messages/${command}`)],
      reply: {
        channel: ref('#/channels/realtime'),
        messages: [ref('#/channels/realtime/messages/subscriptionAck')],
      },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'GridWatch messages',
      version: '1',
      description:
        'MQTT device topics (the transport subscribes) and socket.io live events (the API ' +
        'publishes). The REST API is described by the OpenAPI document at `/api/docs-json`.',
    },
    defaultContentType: 'application/json',
    servers: {
      broker: {
        host: 'localhost:1883',
        protocol: 'mqtt',
        protocolVersion: '5',
        description:
          'The MQTT broker (Mosquitto locally). MQTT 5 and 3.1.1 clients; one broker client per ' +
          'device in production, publishing to its own topics only.',
        security: [ref('#/components/securitySchemes/brokerClient')],
      },
      api: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: REALTIME_NAMESPACE,
        description:
          `socket.io v4 on the API's port, namespace \`${REALTIME_NAMESPACE}\` (engine path ` +
          '`/socket.io`). The access token goes in the handshake: `io(origin + "/realtime", ' +
          '{auth: {token}})`; a refusal is a `connect_error` with `data` = {code, message}.',
        security: [ref('#/components/securitySchemes/jwt')],
      },
    },
    channels: {
      ...mqttChannels(examples),
      realtime: {
        address: REALTIME_NAMESPACE,
        title: 'Live updates (socket.io)',
        description:
          'Rooms per organization, site and meter, joined with `subscribe` only within the ' +
          'caller’s organization. The socket.io event name is each message’s `name`.',
        servers: [ref('#/servers/api')],
        messages: realtimeMessages,
      },
    },
    operations,
    components: {
      schemas: {
        ...deviceSchemas(openApi),
        GatewayStatusDetails: statusDetails(openApi),
        ConnectErrorData: objectOf<ConnectErrorData>({
          code: realtimeError,
          message: { type: 'string' },
        }),
      },
      securitySchemes: {
        brokerClient: {
          type: 'userPassword',
          description: 'The device’s broker client (Mosquitto dynamic security); never anonymous',
        },
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  };
}

/** A heartbeat carries the ping's connection details, none of them required. */
function statusDetails(openApi: OpenAPIObject): Schema {
  const ping = deviceSchemas(openApi)['GatewayPingDto'] ?? {};
  return { type: 'object', properties: ping['properties'] ?? {} };
}
