import { isWithinJsonDepth, MAX_JSON_DEPTH } from '@gridwatch/domain';

/**
 * A device message as signed on the wire: `signature = hex(HMAC-SHA256(secret, timestamp + "." +
 * body))`. MQTT 5 devices publish the body as the payload with `timestamp` and `signature` user
 * properties; MQTT 3.1.1 devices publish the envelope `{"timestamp", "signature", "body"}`.
 */
export interface SignedMessage {
  timestamp: string;
  signature: string;
  /** The signed JSON text, exactly as the device sent it. */
  body: string;
  /** `body`, parsed. */
  document: unknown;
}

export type SignedMessageResult =
  | { ok: true; message: SignedMessage }
  | { ok: false; reason: 'malformed' | 'too_deep'; problem: string };

const TOO_DEEP = {
  ok: false,
  reason: 'too_deep',
  problem: `nested deeper than ${MAX_JSON_DEPTH} levels`,
} as const;

type UserProperties = Record<string, string | string[]>;

/**
 * Reads a payload (and its MQTT 5 user properties) into a signed message, or says why it can't.
 * Depth is bounded before anything is parsed, the envelope's and the body's alike.
 */
export function readSignedMessage(
  payload: Buffer,
  userProperties?: UserProperties,
): SignedMessageResult {
  const signature = firstOf(userProperties?.['signature']);
  if (signature !== undefined) {
    return withDocument(
      firstOf(userProperties?.['timestamp']),
      signature,
      payload.toString('utf8'),
    );
  }
  if (!isWithinJsonDepth(payload)) return TOO_DEEP;
  let envelope: unknown;
  try {
    envelope = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', problem: 'payload is not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { ok: false, reason: 'malformed', problem: 'payload is not a JSON object' };
  }
  const { timestamp, signature: enveloped, body } = envelope as Record<string, unknown>;
  if (typeof enveloped !== 'string' || typeof body !== 'string') {
    return {
      ok: false,
      reason: 'malformed',
      problem:
        'unsigned: send "timestamp"/"signature" user properties (MQTT 5) or the envelope ' +
        '{"timestamp", "signature", "body": "<JSON as a string>"}',
    };
  }
  return withDocument(
    typeof timestamp === 'number' ? String(timestamp) : timestampText(timestamp),
    enveloped,
    body,
  );
}

function withDocument(
  timestamp: string | undefined,
  signature: string,
  body: string,
): SignedMessageResult {
  if (!timestamp) return { ok: false, reason: 'malformed', problem: 'timestamp is missing' };
  if (!isWithinJsonDepth(body)) return TOO_DEEP;
  try {
    return { ok: true, message: { timestamp, signature, body, document: JSON.parse(body) } };
  } catch {
    return { ok: false, reason: 'malformed', problem: 'body is not JSON' };
  }
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function timestampText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
