import { DomainException } from '@gridwatch/server';

/** Node socket errors: the database, Redis or the queue is out of reach for now. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** PostgreSQL SQLSTATE classes worth a retry: connection (08), resources (53), shutdown (57P). */
const RETRYABLE_SQLSTATE = /^(08|53|57P|40001|40P01)/;

/** Messages of pg, TypeORM and ioredis when a connection is gone or the pool is exhausted. */
const CONNECTION_TROUBLE =
  /connection (is )?(closed|terminated)|timeout exceeded when trying to connect|stream isn't writeable|max(imum)? ?retries ?per ?request|connection timeout|not queryable|ECONNREFUSED|ECONNRESET|ETIMEDOUT/i;

/**
 * Whether a failure in handling a message can go away by itself (an outage of the queue, the
 * database or Redis), so the message is worth leaving for redelivery. Anything else — a bug, a
 * document that trips the code — would fail the same way on every redelivery: it is acknowledged
 * and rejected instead of reconnecting over and over.
 */
export function isTransientFailure(error: unknown): boolean {
  if (error instanceof DomainException) return error.status >= 500;
  if (!(error instanceof Error)) return false;
  const coded = error as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = String(coded.driverError?.code ?? coded.code ?? '');
  if (NETWORK_CODES.has(code) || RETRYABLE_SQLSTATE.test(code)) return true;
  return error.name === 'MaxRetriesPerRequestError' || CONNECTION_TROUBLE.test(error.message);
}
