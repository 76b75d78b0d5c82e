import { BUILT_IN_REGISTER_MAPS, encodeRegisters } from '@gridwatch/domain';
import { GatewayPoller, type PollGateway } from './gateway-poller';
import { ModbusRequestFailed, type ModbusConnection } from './modbus-tcp-connection';
import { ModbusHostPolicy } from '@gridwatch/ingest';

/** A scripted gateway: register values per unit, and failures to serve in order. */
class FakeGateway {
  readonly requests: Array<{ unitId: number; address: number; count: number }> = [];
  opened = 0;
  closed = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly failures: ModbusRequestFailed[] = [];
  connectFailures = 0;

  constructor(private readonly registers: Record<number, Record<number, number>>) {}

  connect = async (): Promise<ModbusConnection> => {
    if (this.connectFailures > 0) {
      this.connectFailures -= 1;
      throw new ModbusRequestFailed('connect', 'ECONNREFUSED');
    }
    this.opened += 1;
    return {
      readRegisters: async (unitId, _functionCode, address, count) => {
        this.requests.push({ unitId, address, count });
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        this.inFlight -= 1;
        const failure = this.failures.shift();
        if (failure) throw failure;
        const unit = this.registers[unitId] ?? {};
        return Array.from({ length: count }, (_, offset) => unit[address + offset] ?? 0);
      },
      close: () => {
        this.closed += 1;
      },
    };
  };
}

function sdm630Registers(values: Record<number, number>): Record<number, number> {
  const words: Record<number, number> = {};
  for (const [address, value] of Object.entries(values)) {
    encodeRegisters(value, 'float32').forEach((word, offset) => {
      words[Number(address) + offset] = word;
    });
  }
  return words;
}

const sdm630 = BUILT_IN_REGISTER_MAPS['eastron_sdm630'];

function gateway(unitIds: number[], host = '127.0.0.1'): PollGateway {
  return {
    id: 'gw',
    serialNumber: 'GW-1',
    host,
    port: 5020,
    meters: unitIds.map((unitId) => ({ id: `meter-${unitId}`, unitId, map: sdm630 })),
  };
}

function poller(fake: FakeGateway, overrides: { retries?: number } = {}) {
  return new GatewayPoller({
    connect: fake.connect,
    hosts: new ModbusHostPolicy(['127.0.0.0/8']),
    timeoutMs: 100,
    retries: overrides.retries ?? 3,
    retryBackoffMs: 1,
  });
}

describe('GatewayPoller', () => {
  it('reads each meter in one coalesced request, one request at a time, over one connection', async () => {
    const fake = new FakeGateway({
      1: sdm630Registers({ 0x2a: 230.5, 0x34: 1500, 0x48: 12345.5 }),
      2: sdm630Registers({ 0x2a: 231 }),
    });

    const outcome = await poller(fake).poll(gateway([1, 2]));

    expect(fake.requests).toEqual([
      { unitId: 1, address: 0x2a, count: 32 },
      { unitId: 2, address: 0x2a, count: 32 },
    ]);
    expect([fake.opened, fake.closed, fake.maxInFlight]).toEqual([1, 1, 1]);
    expect(outcome.answered).toBe(true);
    expect(outcome.failures).toEqual([]);
    expect(outcome.readMeterIds).toEqual(['meter-1', 'meter-2']);
    const meter1 = outcome.readings.filter((reading) => reading.meterId === 'meter-1');
    expect(Object.fromEntries(meter1.map((r) => [r.parameter, r.value]))).toMatchObject({
      voltage_v: 230.5,
      power_w: 1500,
      energy_kwh: 12345.5,
    });
  });

  it('retries a timed-out request on a fresh connection, then gives up on that meter only', async () => {
    const fake = new FakeGateway({ 2: sdm630Registers({ 0x2a: 229 }) });
    const timeout = () => new ModbusRequestFailed('timeout', 'no answer');
    fake.failures.push(timeout(), timeout(), timeout());

    const outcome = await poller(fake).poll(gateway([1, 2]));

    expect(fake.requests.map((request) => request.unitId)).toEqual([1, 1, 1, 2]);
    expect(fake.opened).toBe(4);
    expect(fake.closed).toBe(4);
    expect(outcome.failures).toEqual([
      expect.objectContaining({ meterId: 'meter-1', kind: 'timeout' }),
    ]);
    expect(outcome.readMeterIds).toEqual(['meter-2']);
    expect(outcome.answered).toBe(true);
  });

  it('does not retry a device exception, and counts it as an answer', async () => {
    const fake = new FakeGateway({});
    fake.failures.push(new ModbusRequestFailed('exception', 'Illegal data address', 2));

    const outcome = await poller(fake).poll(gateway([1]));

    expect(fake.requests).toHaveLength(1);
    expect(outcome.answered).toBe(true);
    expect(outcome.failures).toEqual([
      expect.objectContaining({
        meterId: 'meter-1',
        kind: 'exception',
        details: expect.objectContaining({ modbusCode: 2 }),
      }),
    ]);
  });

  it('ends the poll with one gateway failure when it cannot connect, telling tenants only "unreachable"', async () => {
    const fake = new FakeGateway({});
    fake.connectFailures = 3;

    const outcome = await poller(fake).poll(gateway([1, 2]));

    expect(fake.requests).toEqual([]);
    expect(outcome.answered).toBe(false);
    expect(outcome.failures).toEqual([
      {
        meterId: null,
        kind: 'connect',
        message: 'gateway unreachable',
        internal: '127.0.0.1:5020: ECONNREFUSED',
        details: {},
      },
    ]);
  });

  it('never connects to a host outside the allowed networks', async () => {
    const fake = new FakeGateway({});

    const outcome = await poller(fake).poll(gateway([1], '169.254.169.254'));

    expect(fake.opened).toBe(0);
    expect(outcome.failures).toEqual([
      expect.objectContaining({
        meterId: null,
        kind: 'refused',
        message: 'host not allowed: not polled',
      }),
    ]);
    expect(JSON.stringify(outcome.failures[0].details)).not.toContain('169.254');
  });

  it('checks a gateway without meters by connecting to it', async () => {
    const fake = new FakeGateway({});
    const outcome = await poller(fake).poll(gateway([]));
    expect([fake.opened, fake.closed, outcome.answered]).toEqual([1, 1, true]);
  });
});
