import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ROOM_KINDS, RealtimeErrorCode, RoomKind, Scope, type RoomRef } from '@gridwatch/contracts';
import { MeterEntity, SiteEntity } from '@gridwatch/server';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/** How one kind of room is joined: the scopes it needs and whether its object is the caller's. */
export interface RoomPolicy {
  kind: RoomKind;
  scopes: readonly Scope[];
  /** True only when the object exists in that organization: another's is "not found". */
  exists(organizationId: string, id: string): Promise<boolean>;
}

export type RoomDecision =
  | { ok: true; room: RoomRef; name: string }
  | { ok: false; error: RealtimeErrorCode; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE_DATA_SCOPES: readonly Scope[] = [Scope.DevicesRead, Scope.ReadingsRead];

/**
 * The socket.io room of a room reference. The organization id comes first in every name, and
 * callers pass the organization the payload or the caller belongs to, so an event can only
 * reach sockets that joined inside that organization.
 */
export function roomName(organizationId: string, room: RoomRef): string {
  if (room.kind === RoomKind.Organization) return `org:${organizationId}`;
  return `org:${organizationId}:${room.kind}:${room.id}`;
}

/** Room references the client sent, shape-checked (the body of a socket message is untrusted). */
export function parseRoomRef(payload: unknown): RoomRef | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { kind, id } = payload as Record<string, unknown>;
  if (typeof kind !== 'string' || !(ROOM_KINDS as readonly string[]).includes(kind)) return null;
  if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) return null;
  if (kind !== RoomKind.Organization && id === undefined) return null;
  return { kind: kind as RoomKind, ...(id === undefined ? {} : { id: id.toLowerCase() }) };
}

/**
 * Which rooms a caller may join. Organization, site and meter rooms are built in; other
 * features (tickets) register a policy for their kind.
 */
@Injectable()
export class RealtimeRooms {
  private readonly policies = new Map<RoomKind, RoomPolicy>();

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.register({
      kind: RoomKind.Organization,
      scopes: LIVE_DATA_SCOPES,
      exists: async (organizationId, id) => id === organizationId,
    });
    this.register({
      kind: RoomKind.Site,
      scopes: LIVE_DATA_SCOPES,
      exists: (organizationId, id) => this.db.manager.existsBy(SiteEntity, { id, organizationId }),
    });
    this.register({
      kind: RoomKind.Meter,
      scopes: LIVE_DATA_SCOPES,
      exists: (organizationId, id) => this.db.manager.existsBy(MeterEntity, { id, organizationId }),
    });
  }

  register(policy: RoomPolicy): void {
    this.policies.set(policy.kind, policy);
  }

  /** Decides a subscription: the room's name when allowed, else why not. */
  async authorize(user: AuthenticatedUser, payload: unknown): Promise<RoomDecision> {
    const parsed = parseRoomRef(payload);
    const policy = parsed ? this.policies.get(parsed.kind) : undefined;
    if (!parsed || !policy) {
      return refuse(RealtimeErrorCode.InvalidRoom, 'Expected {kind, id} naming a known room kind');
    }
    const missing = policy.scopes.filter((scope) => !user.scopes.includes(scope));
    if (missing.length > 0) {
      return refuse(RealtimeErrorCode.Forbidden, `Missing scope: ${missing.join(', ')}`);
    }
    const room = { kind: parsed.kind, id: parsed.id ?? user.organizationId };
    if (!(await policy.exists(user.organizationId, room.id))) {
      return refuse(RealtimeErrorCode.RoomNotFound, `No such ${room.kind}`);
    }
    return { ok: true, room, name: roomName(user.organizationId, room) };
  }

  /** The name of a room the caller asks to leave; no check needed, as it is the caller's own. */
  leave(user: AuthenticatedUser, payload: unknown): RoomDecision {
    const parsed = parseRoomRef(payload);
    if (!parsed) {
      return refuse(RealtimeErrorCode.InvalidRoom, 'Expected {kind, id} naming a known room kind');
    }
    const room = { kind: parsed.kind, id: parsed.id ?? user.organizationId };
    return { ok: true, room, name: roomName(user.organizationId, room) };
  }
}

function refuse(error: RealtimeErrorCode, message: string): RoomDecision {
  return { ok: false, error, message };
}
