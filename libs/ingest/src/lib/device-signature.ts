import { createHmac, timingSafeEqual } from 'node:crypto';
import { isWithinReplayWindow, signingTimestampSeconds } from '@gridwatch/domain';

/** What a device signed: `signature = hex(HMAC-SHA256(secret, timestamp + "." + body))`. */
export interface SignedProof {
  timestamp?: string;
  signature?: string;
  body: Buffer | string;
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'invalid_timestamp' | 'stale_timestamp' | 'invalid_device_credentials' };

/**
 * The one HMAC rule for REST and MQTT: the timestamp is unix seconds within the replay window of
 * `aroundMs` (now, except for a last will: docs/mqtt.md), and the signature is one of the device's
 * valid secrets' HMAC, compared in constant time. Signature memory (no second use) is the
 * DeviceAuthenticator's, which holds Redis.
 */
export function verifyDeviceSignature(
  proof: SignedProof,
  secrets: readonly string[],
  window: { seconds: number; aroundMs: number },
): SignatureCheck {
  const seconds = signingTimestampSeconds(proof.timestamp);
  if (seconds === null) return { ok: false, code: 'invalid_timestamp' };
  if (!isWithinReplayWindow(seconds, window.aroundMs, window.seconds)) {
    return { ok: false, code: 'stale_timestamp' };
  }
  const body = typeof proof.body === 'string' ? proof.body : proof.body.toString('utf8');
  const presented = (proof.signature ?? '').toLowerCase();
  const signedBy = (secret: string) =>
    constantTimeEqual(
      createHmac('sha256', secret).update(`${proof.timestamp}.${body}`).digest('hex'),
      presented,
    );
  return secrets.some(signedBy) ? { ok: true } : { ok: false, code: 'invalid_device_credentials' };
}

/** Compares two secrets or digests without leaking where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
