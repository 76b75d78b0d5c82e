import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, filter } from 'rxjs';
import { Server, type Socket as ServerSocket } from 'socket.io';
import type { RoomRef, SubscriptionAck } from '@gridwatch/contracts';
import { RealtimeClient } from './realtime-client';

/**
 * Against a real socket.io server that behaves like the API's gateway in miniature: tokens
 * "valid-N" are accepted, the server can expire a socket, and subscribe joins a room.
 */
describe('RealtimeClient with socket.io', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  let client: RealtimeClient | undefined;
  const handshakes: string[] = [];
  const connected: ServerSocket[] = [];

  beforeAll(async () => {
    http = createServer();
    io = new Server(http);
    const namespace = io.of('/realtime');
    namespace.use((socket, next) => {
      const token = String(socket.handshake.auth['token'] ?? '');
      handshakes.push(token);
      next(token.startsWith('valid-') ? undefined : new Error('invalid_token'));
    });
    namespace.on('connection', (socket) => {
      connected.push(socket);
      socket.on('subscribe', (room: RoomRef, ack: (answer: SubscriptionAck) => void) => {
        void socket.join(`${room.kind}:${room.id}`);
        ack({ ok: true, room });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(() => client?.stop());

  afterAll(async () => {
    // The callback, not the returned promise, waits until the HTTP server has closed too.
    await new Promise((resolve) => void io.close(resolve));
  });

  it('after the server expires its token, reconnects with a fresh one and resubscribes', async () => {
    let issued = 0;
    const refused = { first: true };
    client = new RealtimeClient({
      url,
      // The first token is refused, as an expired one would be; then fresh ones are issued.
      token: (fresh) => {
        if (refused.first) {
          refused.first = false;
          return 'expired';
        }
        issued += 1;
        return fresh ? `valid-${issued}` : 'stale';
      },
      retryMs: [50],
    });
    const room: RoomRef = { kind: 'meter', id: 'a1b2c3d4-0000-4000-8000-000000000001' };
    const acks: SubscriptionAck[] = [];
    client.join(room).subscribe((ack) => acks.push(ack));
    const readings: unknown[] = [];
    client.on('reading.received').subscribe((event) => readings.push(event));

    client.start();
    await firstValueFrom(client.state$.pipe(filter((state) => state === 'connected')));
    expect(handshakes).toEqual(['expired', 'valid-1']);
    await waitUntil(() => acks.length === 1);
    io.of('/realtime').to(`meter:${room.id}`).emit('reading.received', { n: 1 });
    await waitUntil(() => readings.length === 1);

    const [socket] = connected.splice(0);
    socket?.emit('token_expired', { expiredAt: new Date().toISOString() });
    socket?.disconnect(true);
    await waitUntil(() => acks.length === 2);
    expect(handshakes).toEqual(['expired', 'valid-1', 'valid-2']);
    expect(client.state).toBe('connected');
    io.of('/realtime').to(`meter:${room.id}`).emit('reading.received', { n: 2 });
    await waitUntil(() => readings.length === 2);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
