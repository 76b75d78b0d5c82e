import { createHmac } from 'node:crypto';

/** How a device proves who it is: the plain shared secret, or an HMAC signature of each request. */
export type DeviceAuthMode = 'secret' | 'hmac';
export const DEVICE_AUTH_MODES: readonly DeviceAuthMode[] = ['secret', 'hmac'];

export interface DeviceIdentity {
  /** A gateway's serial number, or a direct device's UUID. */
  deviceId: string;
  secret: string;
}

/** `hex(HMAC-SHA256(secret, timestamp + "." + rawBody))`, as the API and MQTT transport verify it. */
export function signBody(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
}

/**
 * The authentication headers for one request with body `rawBody`. Signed headers must be built
 * afresh for every attempt: the server keeps signatures it has seen and refuses a replay.
 */
export function deviceAuthHeaders(
  mode: DeviceAuthMode,
  device: DeviceIdentity,
  rawBody: string,
  nowMs: number = Date.now(),
): Record<string, string> {
  if (mode === 'secret')
    return { 'X-Device-ID': device.deviceId, 'X-Device-Secret': device.secret };
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'X-Device-ID': device.deviceId,
    'X-Timestamp': String(timestamp),
    'X-Signature': signBody(device.secret, timestamp, rawBody),
  };
}
