import { QueryFailedError } from 'typeorm';

/** `%q%` for ILIKE, with the caller's own wildcards taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** Whether a write failed on the named unique index: the race a prior existence check can lose. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return violation(error, '23505') === constraint;
}

/** Whether a delete failed because rows still reference it (foreign keys with ON DELETE RESTRICT). */
export function isForeignKeyViolation(error: unknown): boolean {
  return violation(error, '23503') !== undefined;
}

function violation(error: unknown, sqlState: string): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === sqlState ? (driverError.constraint ?? '') : undefined;
}
