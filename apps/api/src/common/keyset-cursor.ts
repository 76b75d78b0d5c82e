import { ValidationFailed } from '@gridwatch/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque cursor for lists ordered by (a time, id) descending. */
export function encodeKeysetCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

export function decodeKeysetCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !UUID.test(id)) {
    throw new ValidationFailed('Invalid cursor', [
      { field: 'cursor', messages: ['cursor is not valid'] },
    ]);
  }
  return { at, id };
}
