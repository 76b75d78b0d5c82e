import { Socket } from 'node:net';
import ModbusRTU from 'modbus-serial';
import type { ReadFunctionCode } from '@gridwatch/domain';

/** Why a Modbus request failed: decides whether to retry and what the issue says. */
export type ModbusFailureKind = 'connect' | 'timeout' | 'connection' | 'exception';

export class ModbusRequestFailed extends Error {
  constructor(
    readonly kind: ModbusFailureKind,
    message: string,
    /** The device's exception code (kind `exception`). */
    readonly modbusCode?: number,
  ) {
    super(message);
    this.name = 'ModbusRequestFailed';
  }

  /** Exceptions 5 (acknowledge), 6 (busy) and 11 (gateway target did not answer) are transient. */
  get retryable(): boolean {
    return this.kind !== 'exception' || [5, 6, 11].includes(this.modbusCode ?? 0);
  }
}

/** One open Modbus TCP connection to a gateway: one request at a time, always closed after use. */
export interface ModbusConnection {
  readRegisters(
    unitId: number,
    functionCode: ReadFunctionCode,
    address: number,
    count: number,
  ): Promise<number[]>;
  close(): void;
}

export type ModbusConnector = (
  address: string,
  port: number,
  timeoutMs: number,
) => Promise<ModbusConnection>;

/**
 * modbus-serial over a socket this class owns. modbus-serial's own timeout can leave a request
 * hanging (yaacov/node-modbus-serial#308, #348) and its port can stay "Port Not Open" after the
 * peer drops (#92, #461): so the socket is connected here with its own deadline, every request
 * has a deadline of its own on top of the library's, and close() destroys the socket outright.
 */
export class ModbusTcpConnection implements ModbusConnection {
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly client: ModbusRTU,
    private readonly timeoutMs: number,
  ) {}

  static async open(
    address: string,
    port: number,
    timeoutMs: number,
  ): Promise<ModbusTcpConnection> {
    const socket = await connectSocket(address, port, timeoutMs);
    const client = new ModbusRTU();
    client.setTimeout(timeoutMs);
    // Socket errors reach pending requests as failures; this keeps them from being unhandled.
    client.on('error', () => undefined);
    try {
      await client.linkTCP(socket, { port });
    } catch (error) {
      socket.destroy();
      throw new ModbusRequestFailed('connect', `link failed: ${describe(error)}`);
    }
    return new ModbusTcpConnection(socket, client, timeoutMs);
  }

  async readRegisters(
    unitId: number,
    functionCode: ReadFunctionCode,
    address: number,
    count: number,
  ): Promise<number[]> {
    if (this.closed || !this.client.isOpen || this.socket.destroyed) {
      throw new ModbusRequestFailed('connection', 'the connection is closed');
    }
    this.client.setID(unitId);
    const request =
      functionCode === 3
        ? this.client.readHoldingRegisters(address, count)
        : this.client.readInputRegisters(address, count);
    try {
      const result = await withDeadline(request, this.timeoutMs + 250);
      return result.data;
    } catch (error) {
      throw classify(error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy(() => undefined);
    this.socket.destroy();
  }
}

function connectSocket(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    const fail = (message: string) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ModbusRequestFailed('connect', message));
    };
    const timer = setTimeout(
      () => fail(`no connection to ${address}:${port} within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once('error', (error) => fail(`cannot connect to ${address}:${port}: ${error.message}`));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Later socket errors surface as failed requests; without a listener they would crash.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.connect({ host: address, port });
  });
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ModbusRequestFailed('timeout', `no answer in ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function classify(error: unknown): ModbusRequestFailed {
  if (error instanceof ModbusRequestFailed) return error;
  const failure = (error ?? {}) as { name?: unknown; message?: unknown; modbusCode?: unknown };
  if (typeof failure.modbusCode === 'number') {
    return new ModbusRequestFailed('exception', describe(error), failure.modbusCode);
  }
  if (failure.name === 'TransactionTimedOutError') {
    return new ModbusRequestFailed('timeout', 'the device did not answer in time');
  }
  // A dropped connection can surface as an error without a message (node-modbus-serial#64).
  return new ModbusRequestFailed('connection', describe(error) || 'the connection was lost');
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error ?? '');
}
