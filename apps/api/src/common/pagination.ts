import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Page } from '@gridwatch/contracts';
import { ValidationFailed } from '@gridwatch/server';

/**
 * One page of a filtered, sorted query. The cursor is opaque to clients (an offset inside),
 * which keeps arbitrary sort orders cheap for the small lists of the management API.
 */
export async function paginate<Entity extends ObjectLiteral, View>(
  query: SelectQueryBuilder<Entity>,
  page: { limit: number; cursor?: string },
  toView: (entity: Entity) => View,
): Promise<Page<View>> {
  const offset = page.cursor ? decodeOffset(page.cursor) : 0;
  const [rows, total] = await query.skip(offset).take(page.limit).getManyAndCount();
  const result: Page<View> = { items: rows.map(toView), total };
  if (offset + rows.length < total) result.nextCursor = encodeOffset(offset + rows.length);
  return result;
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

function decodeOffset(cursor: string): number {
  try {
    const { o } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailed('Invalid cursor', [
    { field: 'cursor', messages: ['cursor is not valid'] },
  ]);
}
