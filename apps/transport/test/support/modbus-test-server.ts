import { createServer, type Server, type Socket } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { encodeRegisters, type Endianness, type RegisterType } from '@gridwatch/domain';

/** A free TCP port on loopback (closed again before it is returned). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Table = Map<number, number>;

/**
 * A real Modbus TCP device (modbus-serial's ServerTCP) with register tables per unit id and
 * function code, counting the requests it serves. Unknown units answer exception 11, like a
 * serial bridge whose meter does not respond; unwritten registers read 0.
 */
export class ModbusTestServer {
  readonly requests: Array<{
    unitId: number;
    functionCode: 3 | 4;
    address: number;
    count: number;
  }> = [];
  private readonly tables = new Map<string, Table>();

  private readonly server: ServerTCP;

  private constructor(readonly port: number) {
    const read = (functionCode: 3 | 4) => (address: number, count: number, unitId: number) =>
      this.serve(unitId, functionCode, address, count);
    const single = (functionCode: 3 | 4) => (address: number, unitId: number) =>
      this.serve(unitId, functionCode, address, 1)[0];
    this.server = new ServerTCP(
      {
        getMultipleHoldingRegisters: read(3),
        getMultipleInputRegisters: read(4),
        getHoldingRegister: single(3),
        getInputRegister: single(4),
      },
      { host: '127.0.0.1', port },
    );
    this.server.on('socketError', () => undefined);
  }

  static async start(port?: number): Promise<ModbusTestServer> {
    const device = new ModbusTestServer(port ?? (await freePort()));
    await new Promise<void>((resolve, reject) => {
      device.server.on('initialized', () => resolve());
      device.server.on('serverError', reject);
    });
    return device;
  }

  /** Writes `value` as `type` at `address` of a unit's holding (3) or input (4) registers. */
  set(
    unitId: number,
    functionCode: 3 | 4,
    address: number,
    value: number,
    type: RegisterType,
    wordOrder: Endianness = 'big',
  ): this {
    const table = this.table(unitId, functionCode, true) as Table;
    encodeRegisters(value, type, wordOrder).forEach((word, offset) =>
      table.set(address + offset, word),
    );
    return this;
  }

  /** Sockets the server holds open right now. */
  get openSockets(): number {
    return this.server.socks.size;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(unitId: number, functionCode: 3 | 4, address: number, count: number): number[] {
    this.requests.push({ unitId, functionCode, address, count });
    const table = this.table(unitId, functionCode, false);
    if (!table && !this.knowsUnit(unitId)) {
      throw Object.assign(new Error('no such unit'), { modbusErrorCode: 0x0b });
    }
    return Array.from({ length: count }, (_, offset) => table?.get(address + offset) ?? 0);
  }

  private knowsUnit(unitId: number): boolean {
    return [...this.tables.keys()].some((key) => key.startsWith(`${unitId}:`));
  }

  private table(unitId: number, functionCode: 3 | 4, create: boolean): Table | undefined {
    const key = `${unitId}:${functionCode}`;
    let table = this.tables.get(key);
    if (!table && create) {
      table = new Map();
      this.tables.set(key, table);
    }
    return table;
  }
}

/** A device that accepts connections and never answers: the classic hung field router. */
export class SilentDevice {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
    private readonly counter: { received: number },
  ) {}

  static async start(): Promise<SilentDevice> {
    const sockets = new Set<Socket>();
    const counter = { received: 0 };
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => (counter.received += 1));
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new SilentDevice(server, (server.address() as { port: number }).port, sockets, counter);
  }

  /** Requests received (and never answered). */
  get received(): number {
    return this.counter.received;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
