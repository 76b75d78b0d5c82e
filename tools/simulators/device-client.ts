import { DeviceAuthMode, DeviceIdentity, deviceAuthHeaders } from './device-auth';

/** One reading of a gateway batch on the wire (DESIGN.md, "Wire contracts"; snake_case). */
export interface WireReading {
  meter_id: string;
  parameter: string;
  value: number;
  unit: string;
  quality: string;
  timestamp?: string;
}

/** Body of `POST /api/v1/readings/ingest`. */
export interface WireBatch {
  gateway_serial: string;
  timestamp: string;
  readings: WireReading[];
}

/** Body of `POST /api/v1/gateway/ping`. */
export interface WirePing {
  gateway_serial: string;
  timestamp: string;
  ip_address: string;
  signal_strength: number;
  sim_iccid: string;
  cpu_percent: number;
  memory_percent: number;
  uptime_seconds: number;
  firmware: string;
}

/** The 202 answer to a batch. */
export interface IngestAnswer {
  batch_id: string;
  accepted: number;
  rejected: Array<{ index: number; error: string; message?: string }>;
}

export const INGEST_PATH = '/api/v1/readings/ingest';
export const PING_PATH = '/api/v1/gateway/ping';

/** What became of one HTTP attempt. */
export type DeviceResponse =
  | { outcome: 'ok'; status: number; body: unknown; durationMs: number }
  /** Worth trying again later: network error, timeout, 408, 429, 5xx. */
  | {
      outcome: 'retry';
      status: number | null;
      reason: string;
      retryAfterMs: number | null;
      durationMs: number;
    }
  /** 401: the credentials are wrong (or the signature/clock is off). */
  | { outcome: 'unauthorized'; status: 401; reason: string; durationMs: number }
  /** Any other 4xx: sending the same request again cannot help. */
  | { outcome: 'refused'; status: number; reason: string; durationMs: number };

export interface DeviceRequest {
  api: string;
  path: string;
  body: unknown;
  device: DeviceIdentity;
  auth: DeviceAuthMode;
  timeoutMs?: number;
}

/** POSTs a device request once, signing it at the moment of sending. Never throws. */
export async function postDevice(request: DeviceRequest): Promise<DeviceResponse> {
  const raw = JSON.stringify(request.body);
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  let response: Response;
  try {
    response = await fetch(new URL(request.path, request.api), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...deviceAuthHeaders(request.auth, request.device, raw),
      },
      body: raw,
      signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
    });
  } catch (error) {
    return {
      outcome: 'retry',
      status: null,
      reason: networkReason(error),
      retryAfterMs: null,
      durationMs: elapsed(),
    };
  }
  const text = await response.text().catch(() => '');
  const durationMs = elapsed();
  const status = response.status;
  if (status >= 200 && status < 300)
    return { outcome: 'ok', status, body: parseJson(text), durationMs };
  const reason = `HTTP ${status} ${errorSummary(text)}`.trim();
  if (status === 408 || status === 429 || status >= 500) {
    return {
      outcome: 'retry',
      status,
      reason,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      durationMs,
    };
  }
  if (status === 401) return { outcome: 'unauthorized', status, reason, durationMs };
  return { outcome: 'refused', status, reason, durationMs };
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000 };

/**
 * How long to wait before attempt `failures + 1`: exponential with full jitter over its upper
 * half, or the server's Retry-After when it said. Never under a second, so a re-signed request
 * never carries the same X-Timestamp (and signature) as the one before.
 */
export function backoffDelayMs(
  failures: number,
  retryAfter: number | null = null,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfter !== null) return Math.min(policy.maxMs, Math.max(1_000, retryAfter));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(1_000, Math.round(ceiling * (0.5 + 0.5 * random())));
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Whether a value is the 202 answer to a batch. */
export function isIngestAnswer(value: unknown): value is IngestAnswer {
  const answer = value as Partial<IngestAnswer> | null;
  return (
    typeof answer === 'object' &&
    answer !== null &&
    typeof answer.accepted === 'number' &&
    Array.isArray(answer.rejected)
  );
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** `error: message` of the API's error shape, or the start of whatever came back. */
function errorSummary(text: string): string {
  const body = parseJson(text) as { error?: unknown; message?: unknown } | string | null;
  if (body && typeof body === 'object')
    return [body.error, body.message].filter(Boolean).join(': ');
  return typeof body === 'string' ? body.slice(0, 200) : '';
}

function networkReason(error: unknown): string {
  const failure = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (failure.name === 'TimeoutError') return 'timeout';
  return failure.cause?.code ?? failure.cause?.message ?? failure.message ?? String(error);
}
