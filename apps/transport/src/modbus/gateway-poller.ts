import { ModbusHostNotAllowed, type ModbusHostPolicy } from '@gridwatch/ingest';
import type { Parameter } from '@gridwatch/contracts';
import { decodeBlock, planReads, type ReadBlock, type RegisterMap } from '@gridwatch/domain';
import {
  ModbusRequestFailed,
  type ModbusConnection,
  type ModbusConnector,
  type ModbusFailureKind,
} from './modbus-tcp-connection';

/** A meter as polled: its unit id and resolved register map. */
export interface PollMeter {
  id: string;
  unitId: number;
  map: RegisterMap;
}

export interface PollGateway {
  id: string;
  serialNumber: string;
  host: string | null;
  port: number | null;
  meters: readonly PollMeter[];
}

export interface PolledReading {
  meterId: string;
  parameter: Parameter;
  value: number;
  unit: string;
  at: Date;
}

export type PollFailureKind = ModbusFailureKind | 'refused' | 'not_configured';

/** A meter (or, with meterId null, the whole gateway) that could not be read this poll. */
export interface PollFailure {
  meterId: string | null;
  kind: PollFailureKind;
  /** What tenants read (data quality issue, status event): names no internal address or OS error. */
  message: string;
  /** The full story, for the operator's log only. */
  internal?: string;
  details: Record<string, unknown>;
}

export interface PollOutcome {
  startedAt: Date;
  finishedAt: Date;
  readings: PolledReading[];
  failures: PollFailure[];
  /** Meters whose every register was read. */
  readMeterIds: string[];
  /** The gateway answered at least once (a Modbus exception is an answer): the breaker's success. */
  answered: boolean;
}

export interface GatewayPollerOptions {
  connect: ModbusConnector;
  /** Which hosts may be polled: the API checks the same rule when a gateway is saved. */
  hosts: ModbusHostPolicy;
  timeoutMs: number;
  /** Tries per request, the first included. */
  retries: number;
  /** Backoff before the second try; doubled before each next one. */
  retryBackoffMs: number;
  /** Aborting stops the poll between requests and during backoff (shutdown). */
  signal?: AbortSignal;
  /** Called once per request attempt, for metrics. */
  onRequest?: (result: 'ok' | ModbusFailureKind) => void;
}

/**
 * One poll of one gateway: resolve and check its address, then read every meter's registers over
 * one connection, one request at a time (field routers and serial bridges choke on concurrent
 * requests). A failed request is retried with exponential backoff on a fresh connection; a meter
 * whose request still fails is skipped for this poll, and a gateway that cannot be connected to
 * ends the poll. The connection is always closed before poll() returns.
 */
export class GatewayPoller {
  constructor(private readonly options: GatewayPollerOptions) {}

  async poll(gateway: PollGateway): Promise<PollOutcome> {
    const outcome: PollOutcome = {
      startedAt: new Date(),
      finishedAt: new Date(),
      readings: [],
      failures: [],
      readMeterIds: [],
      answered: false,
    };
    const address = await this.target(gateway, outcome);
    if (address !== null) {
      const session = new GatewaySession(this.options, address, gateway.port as number);
      try {
        await this.readAll(gateway, session, outcome);
      } finally {
        session.close();
      }
    }
    outcome.finishedAt = new Date();
    return outcome;
  }

  private async target(gateway: PollGateway, outcome: PollOutcome): Promise<string | null> {
    if (!gateway.host || !gateway.port) {
      outcome.failures.push({
        meterId: null,
        kind: 'not_configured',
        message: 'the gateway has no host and port to poll',
        details: {},
      });
      return null;
    }
    try {
      return await this.options.hosts.resolve(gateway.host);
    } catch (error) {
      // Tenants read these (issues, events): no resolved address, no rule, no OS error.
      const refused = error instanceof ModbusHostNotAllowed;
      outcome.failures.push({
        meterId: null,
        kind: refused ? 'refused' : 'connect',
        message: refused ? 'host not allowed: not polled' : 'gateway unreachable',
        internal: refused ? error.detail : (error as Error).message,
        details: {},
      });
      return null;
    }
  }

  private async readAll(
    gateway: PollGateway,
    session: GatewaySession,
    outcome: PollOutcome,
  ): Promise<void> {
    if (gateway.meters.length === 0) {
      // Nothing to read: a connection is the only sign of life there is.
      await this.attempt(() => session.open()).then(
        () => (outcome.answered = true),
        (error: unknown) => outcome.failures.push(gatewayFailure(gateway, error)),
      );
      return;
    }
    for (const meter of gateway.meters) {
      const result = await this.readMeter(meter, session, outcome);
      if (result === 'unreachable') {
        outcome.failures.push(gatewayFailure(gateway, session.lastConnectError));
        return;
      }
    }
  }

  private async readMeter(
    meter: PollMeter,
    session: GatewaySession,
    outcome: PollOutcome,
  ): Promise<'read' | 'failed' | 'unreachable'> {
    const readings: PolledReading[] = [];
    for (const block of planReads(meter.map.registers, meter.map.maxGap)) {
      this.options.signal?.throwIfAborted();
      let words: number[];
      try {
        words = await this.attempt(() => session.read(meter.unitId, block));
      } catch (error) {
        const failure = toFailure(error);
        if (failure.kind === 'connect') return 'unreachable';
        if (failure.kind === 'exception') outcome.answered = true;
        outcome.failures.push({
          meterId: meter.id,
          kind: failure.kind,
          message: `unit ${meter.unitId}: ${tenantMessage(failure)}`,
          internal: `unit ${meter.unitId}: ${failure.message}`,
          details: {
            unitId: meter.unitId,
            functionCode: block.functionCode,
            address: block.address,
            count: block.count,
            ...(failure.modbusCode === undefined ? {} : { modbusCode: failure.modbusCode }),
          },
        });
        return 'failed';
      }
      outcome.answered = true;
      const at = new Date();
      for (const { register, value } of decodeBlock(block, words)) {
        // NaN or infinity (an unset float register) is no reading; ingest would refuse it.
        if (!Number.isFinite(value)) continue;
        readings.push({
          meterId: meter.id,
          parameter: register.parameter,
          value,
          unit: register.unit,
          at,
        });
      }
    }
    outcome.readings.push(...readings);
    outcome.readMeterIds.push(meter.id);
    return 'read';
  }

  /** Runs `request` up to `retries` times; before each retry: a fresh connection and a backoff. */
  private async attempt<T>(request: () => Promise<T>): Promise<T> {
    const { retries, retryBackoffMs, onRequest, signal } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const result = await request();
        onRequest?.('ok');
        return result;
      } catch (error) {
        const failure = toFailure(error);
        onRequest?.(failure.kind);
        if (!failure.retryable || attempt >= retries) throw failure;
        await sleep(retryBackoffMs * 2 ** (attempt - 1), signal);
      }
    }
  }
}

/** The poll's connection: opened on first use, replaced after any failure but a device exception. */
class GatewaySession {
  private connection?: ModbusConnection;
  lastConnectError?: ModbusRequestFailed;

  constructor(
    private readonly options: GatewayPollerOptions,
    private readonly address: string,
    private readonly port: number,
  ) {}

  async open(): Promise<ModbusConnection> {
    if (this.connection) return this.connection;
    try {
      this.connection = await this.options.connect(this.address, this.port, this.options.timeoutMs);
      return this.connection;
    } catch (error) {
      this.lastConnectError = toFailure(error, 'connect');
      throw this.lastConnectError;
    }
  }

  async read(unitId: number, block: ReadBlock): Promise<number[]> {
    const connection = await this.open();
    try {
      return await connection.readRegisters(unitId, block.functionCode, block.address, block.count);
    } catch (error) {
      const failure = toFailure(error);
      if (failure.kind !== 'exception') this.close();
      throw failure;
    }
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
  }
}

function toFailure(error: unknown, kind: ModbusFailureKind = 'connection'): ModbusRequestFailed {
  if (error instanceof ModbusRequestFailed) return error;
  if ((error as Error | null)?.name === 'AbortError') throw error;
  return new ModbusRequestFailed(kind, (error as Error | null)?.message ?? String(error));
}

function gatewayFailure(gateway: PollGateway, error: unknown): PollFailure {
  return {
    meterId: null,
    kind: 'connect',
    message: 'gateway unreachable',
    internal: `${gateway.host}:${gateway.port}: ${error instanceof Error ? error.message : 'cannot connect'}`,
    details: {},
  };
}

/** A device exception is the meter's own answer; anything else is said without socket detail. */
function tenantMessage(failure: ModbusRequestFailed): string {
  if (failure.kind === 'exception') return failure.message;
  if (failure.kind === 'timeout') return 'no answer (timeout)';
  return 'gateway unreachable';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
