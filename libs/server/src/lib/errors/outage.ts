/** What a caller is told to wait when a backing service is unreachable. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** PostgreSQL: connection exceptions (08...), shutting down / cannot connect now (57P0x). */
const POSTGRES_OUTAGE = /^(08|57P0[1-3])/;
const DRIVER_MESSAGES = [
  'Connection is closed', // ioredis, after a disconnect
  'Connection terminated', // pg
  'timeout exceeded when trying to connect', // pg pool
  "Stream isn't writeable", // ioredis without an offline queue
];

/**
 * A failure of the infrastructure rather than of the request: Redis or PostgreSQL unreachable.
 * Such a request is answered 503 with Retry-After (the exception filter), never 500.
 */
export function isOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_OUTAGE.test(code))) {
    return true;
  }
  if (DRIVER_MESSAGES.some((message) => error.message.includes(message))) return true;
  const cause = (error as { driverError?: unknown; cause?: unknown }).driverError ?? error.cause;
  return cause !== undefined && cause !== error && isOutage(cause);
}
