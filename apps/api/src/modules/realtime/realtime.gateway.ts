import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { DefaultEventsMap, Namespace, Socket } from 'socket.io';
import {
  REALTIME_NAMESPACE,
  RealtimeCommand,
  RealtimeErrorCode,
  RealtimeNotice,
  RoomKind,
  type ConnectErrorData,
  type SubscriptionAck,
  type TokenExpiredNotice,
} from '@gridwatch/contracts';
import { RealtimeMetrics } from './realtime-metrics';
import { RealtimeRooms, roomName, type RoomDecision } from './realtime-rooms';
import { RealtimeRefusal, SocketAuthenticator, type SocketUser } from './socket-authenticator';

interface SocketState {
  user: SocketUser;
  expiry?: ReturnType<typeof setTimeout>;
}
type RealtimeSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketState>;
export type RealtimeNamespace = Namespace<
  DefaultEventsMap,
  DefaultEventsMap,
  DefaultEventsMap,
  SocketState
>;

// setTimeout's ceiling; access tokens live far shorter.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The /realtime namespace. Guards do not run on connect, so the access token is checked by
 * namespace middleware during the handshake; a socket is cut off when its token expires.
 * Subscriptions join rooms only inside the caller's organization.
 */
@WebSocketGateway({ namespace: REALTIME_NAMESPACE })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('Realtime');

  @WebSocketServer() readonly server!: RealtimeNamespace;
  /** This instance's connected sockets per organization. */
  private readonly socketsPerOrganization = new Map<string, number>();

  constructor(
    private readonly authenticator: SocketAuthenticator,
    private readonly rooms: RealtimeRooms,
    private readonly metrics: RealtimeMetrics,
  ) {}

  afterInit(namespace: RealtimeNamespace): void {
    namespace.use((socket, next) => {
      this.authenticator.authenticate(socket.handshake).then(
        (user) => {
          socket.data.user = user;
          next();
        },
        (error: unknown) => {
          this.metrics.connectionRefused();
          next(toConnectError(error, this.logger));
        },
      );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    this.metrics.connected();
    const { user } = socket.data;
    const count = this.socketsPerOrganization.get(user.organizationId) ?? 0;
    this.socketsPerOrganization.set(user.organizationId, count + 1);
    // The user's own room (notifications): joined here, never by a subscription.
    await socket.join(roomName(user.organizationId, { kind: RoomKind.User, id: user.id }));
    const delay = Math.min(Math.max(user.tokenExpiresAt - Date.now(), 0), MAX_TIMER_MS);
    socket.data.expiry = setTimeout(() => {
      const notice: TokenExpiredNotice = { expiredAt: new Date(user.tokenExpiresAt).toISOString() };
      socket.emit(RealtimeNotice.TokenExpired, notice);
      socket.disconnect(true);
    }, delay);
    socket.data.expiry.unref();
  }

  handleDisconnect(socket: RealtimeSocket): void {
    clearTimeout(socket.data.expiry);
    this.metrics.disconnected();
    const organizationId = socket.data.user.organizationId;
    const count = (this.socketsPerOrganization.get(organizationId) ?? 1) - 1;
    if (count > 0) this.socketsPerOrganization.set(organizationId, count);
    else this.socketsPerOrganization.delete(organizationId);
  }

  /** Whether a socket of the organization is connected to this instance. */
  hasSocketsOf(organizationId: string): boolean {
    return this.socketsPerOrganization.has(organizationId);
  }

  @SubscribeMessage(RealtimeCommand.Subscribe)
  async subscribe(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() payload: unknown,
  ): Promise<SubscriptionAck> {
    const decision = await this.decide(socket.data.user, payload);
    if (!decision.ok) return this.refuse(socket, payload, decision);
    await socket.join(decision.name);
    return { ok: true, room: decision.room };
  }

  @SubscribeMessage(RealtimeCommand.Unsubscribe)
  async unsubscribe(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() payload: unknown,
  ): Promise<SubscriptionAck> {
    const decision = this.rooms.leave(socket.data.user, payload);
    if (!decision.ok) return this.refuse(socket, payload, decision);
    await socket.leave(decision.name);
    return { ok: true, room: decision.room };
  }

  private async decide(user: SocketUser, payload: unknown): Promise<RoomDecision> {
    if (Date.now() >= user.tokenExpiresAt) {
      return {
        ok: false,
        error: RealtimeErrorCode.InvalidToken,
        message: 'The access token has expired',
      };
    }
    try {
      return await this.rooms.authorize(user, payload);
    } catch (error) {
      this.logger.warn(`subscription check failed: ${(error as Error).message}`);
      return {
        ok: false,
        error: RealtimeErrorCode.Unavailable,
        message: 'Try again shortly',
      };
    }
  }

  /** A refusal is both acknowledged and announced, and joins nothing. */
  private refuse(
    socket: RealtimeSocket,
    room: unknown,
    decision: Extract<RoomDecision, { ok: false }>,
  ): SubscriptionAck {
    this.metrics.subscriptionRefused();
    const notice = { room, error: decision.error, message: decision.message };
    socket.emit(RealtimeNotice.SubscriptionError, notice);
    return { ok: false, ...notice };
  }
}

/** socket.io sends the message and `data` of a middleware error to the client's connect_error. */
function toConnectError(error: unknown, logger: Logger): Error & { data: ConnectErrorData } {
  const refusal =
    error instanceof RealtimeRefusal
      ? error
      : new RealtimeRefusal(RealtimeErrorCode.Unavailable, 'Try again shortly');
  if (!(error instanceof RealtimeRefusal)) {
    logger.warn(`handshake check failed: ${(error as Error).message}`);
  }
  return Object.assign(new Error(refusal.code), {
    data: { code: refusal.code, message: refusal.message },
  });
}
