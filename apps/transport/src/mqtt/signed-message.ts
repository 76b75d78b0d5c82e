import { createHmac, timingSafeEqual } from 'node:crypto';

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
  { ok: true; message: SignedMessage } | { ok: false; problem: string };

type UserProperties = Record<string, string | string[]>;

/** Reads a payload (and its MQTT 5 user properties) into a signed message, or says why it can't. */
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
  let envelope: unknown;
  try {
    envelope = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, problem: 'payload is not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    return { ok: false, problem: 'payload is not a JSON object' };
  }
  const { timestamp, signature: enveloped, body } = envelope as Record<string, unknown>;
  if (typeof enveloped !== 'string' || typeof body !== 'string') {
    return {
      ok: false,
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

/** Constant-time check of a signature against each of a device's valid secrets. */
export function signedBy(
  message: Pick<SignedMessage, 'timestamp' | 'signature' | 'body'>,
  secrets: string[],
): boolean {
  const presented = Buffer.from(message.signature.toLowerCase());
  return secrets.some((secret) => {
    const expected = Buffer.from(
      createHmac('sha256', secret).update(`${message.timestamp}.${message.body}`).digest('hex'),
    );
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
}

function withDocument(
  timestamp: string | undefined,
  signature: string,
  body: string,
): SignedMessageResult {
  if (!timestamp) return { ok: false, problem: 'timestamp is missing' };
  try {
    return { ok: true, message: { timestamp, signature, body, document: JSON.parse(body) } };
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function timestampText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
