/**
 * Simulates GridWatch's Modbus TCP meters: for every modbus_tcp gateway of the manifest, a Modbus
 * TCP server (modbus-serial's ServerTCP) at the gateway's host and port that answers for each of
 * its meters' unit ids with the meter's register map (built-in or custom), filled at the moment
 * of the request from the load profiles: power and voltage move, energy counters grow. The
 * transport's poller reads them like real meters behind a cellular router. See docs/modbus.md.
 *
 *   node -r ./tools/register.js tools/simulators/modbus-meter.ts [--manifest .gridwatch/demo.json]
 *   node -r ./tools/register.js tools/simulators/modbus-meter.ts --once           # smoke test
 *   node -r ./tools/register.js tools/simulators/modbus-meter.ts --port 5020 \
 *     --meter 1:eastron_sdm630 --meter 2:carlo_gavazzi_em24:ups                     # no manifest
 */
import { parseArgs } from 'node:util';
import ModbusRTU, { ServerTCP } from 'modbus-serial';
import { BUILT_IN_REGISTER_MAP_NAMES, decodeBlock, planReads } from '@gridwatch/domain';
import { LoadProfile } from './load-profile';
import { isKnownTimeZone } from './local-clock';
import { DEFAULT_MANIFEST_PATH, readManifest } from './manifest';
import { ModbusRegisters, modbusMeterOf, type ModbusMeter } from './modbus-registers';
import { DEFAULT_SIM_STATE_PATH, SimState } from './sim-state';

const USAGE = `Usage: node -r ./tools/register.js tools/simulators/modbus-meter.ts [options]
  --manifest PATH        serve the manifest's modbus_tcp gateways (default $DEMO_MANIFEST or ${DEFAULT_MANIFEST_PATH})
  --meter UNIT:MAP[:KIND]  instead of a manifest: a meter with this unit id, built-in map
                         (${BUILT_IN_REGISTER_MAP_NAMES.join(', ')}) and kind (default main); repeatable
  --host ADDRESS         address to listen on (default the gateway's host, or 127.0.0.1)
  --port N               port to listen on with --meter (default $MODBUS_SIM_PORT or 5020)
  --once                 start, read every meter back over Modbus TCP once, print it, and exit
  --seed TEXT            seed of the load curves (default gridwatch)
  --timezone ZONE        site time zone for gateways the manifest gives none (default Europe/London)
  --state PATH           meter counters kept across restarts (default ${DEFAULT_SIM_STATE_PATH})
  -h, --help`;

class UsageError extends Error {}

interface SimulatedGateway {
  name: string;
  host: string;
  port: number;
  timeZone: string;
  meters: ModbusMeter[];
}

interface Options {
  gateways: SimulatedGateway[];
  once: boolean;
  seed: string;
  statePath: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      manifest: { type: 'string' },
      meter: { type: 'string', multiple: true },
      host: { type: 'string' },
      port: { type: 'string' },
      once: { type: 'boolean', default: false },
      seed: { type: 'string', default: 'gridwatch' },
      timezone: { type: 'string', default: 'Europe/London' },
      state: { type: 'string', default: DEFAULT_SIM_STATE_PATH },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!isKnownTimeZone(values.timezone))
    throw new UsageError(`--timezone ${values.timezone} is not an IANA time zone`);
  const standalone = values.meter !== undefined;
  if (standalone && values.manifest !== undefined)
    throw new UsageError('--meter and --manifest are alternatives');
  const gateways = standalone
    ? [standaloneGateway(values.meter ?? [], values.host, values.port, values.timezone)]
    : manifestGateways(
        values.manifest ?? (process.env['DEMO_MANIFEST'] || DEFAULT_MANIFEST_PATH),
        values.host,
        values.timezone,
      );
  return { gateways, once: values.once, seed: values.seed, statePath: values.state };
}

function standaloneGateway(
  specs: string[],
  host: string | undefined,
  port: string | undefined,
  timeZone: string,
): SimulatedGateway {
  const meters = specs.map((spec, index) => {
    const [unit, map, kind = 'main'] = spec.split(':');
    const unitId = Number(unit);
    if (!Number.isInteger(unitId) || unitId < 1 || unitId > 247 || !map)
      throw new UsageError(`--meter ${spec}: expected UNIT:MAP[:KIND] with a unit id of 1..247`);
    try {
      return modbusMeterOf({
        id: `sim-${unitId}-${index}`,
        kind,
        modbusUnitId: unitId,
        registerMap: map,
      });
    } catch (error) {
      throw new UsageError(`--meter ${spec}: ${(error as Error).message}`);
    }
  });
  return {
    name: 'standalone',
    host: host ?? '127.0.0.1',
    port: portNumber(port ?? process.env['MODBUS_SIM_PORT'] ?? '5020'),
    timeZone,
    meters,
  };
}

function manifestGateways(
  path: string,
  host: string | undefined,
  timeZone: string,
): SimulatedGateway[] {
  const gateways = readManifest(path).gateways.filter(
    (gateway) => gateway.protocol === 'modbus_tcp',
  );
  if (gateways.length === 0) throw new UsageError(`${path} has no modbus_tcp gateways`);
  return gateways.map((gateway) => {
    if (gateway.port === null) throw new Error(`${gateway.serialNumber} has no port in ${path}`);
    return {
      name: gateway.serialNumber,
      host: host ?? gateway.host ?? '127.0.0.1',
      port: gateway.port,
      timeZone: gateway.timezone && isKnownTimeZone(gateway.timezone) ? gateway.timezone : timeZone,
      meters: gateway.meters.map(modbusMeterOf),
    };
  });
}

function portNumber(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UsageError(`--port must be 1..65535 (got ${text})`);
  return port;
}

/** Listens for one gateway; resolves once the port is bound. */
function serve(gateway: SimulatedGateway, registers: ModbusRegisters, served: { count: number }) {
  const read =
    (functionCode: 3 | 4) =>
    (address: number, count: number, unitId: number): number[] => {
      served.count += 1;
      return registers.read(unitId, functionCode, address, count, Date.now());
    };
  const server = new ServerTCP(
    {
      getMultipleHoldingRegisters: read(3),
      getMultipleInputRegisters: read(4),
      getHoldingRegister: (address: number, unitId: number) => read(3)(address, 1, unitId)[0],
      getInputRegister: (address: number, unitId: number) => read(4)(address, 1, unitId)[0],
    },
    { host: gateway.host, port: gateway.port },
  );
  // A poller that drops its connection mid-request is normal, not an error of the simulator.
  server.on('socketError', () => undefined);
  return new Promise<ServerTCP>((resolve, reject) => {
    server.on('initialized', () => resolve(server));
    server.on('serverError', (error) =>
      reject(new Error(`cannot listen on ${gateway.host}:${gateway.port}: ${error?.message}`)),
    );
  });
}

/** Reads every meter back over Modbus TCP, as the poller would, and prints what it got. */
async function readBack(gateway: SimulatedGateway): Promise<void> {
  const client = new ModbusRTU();
  client.setTimeout(2000);
  await client.connectTCP(gateway.host, { port: gateway.port });
  try {
    for (const meter of gateway.meters) {
      client.setID(meter.unitId);
      const values: string[] = [];
      for (const block of planReads(meter.map.registers, meter.map.maxGap)) {
        const { data } =
          block.functionCode === 3
            ? await client.readHoldingRegisters(block.address, block.count)
            : await client.readInputRegisters(block.address, block.count);
        for (const { register, value } of decodeBlock(block, data)) {
          values.push(
            `${register.parameter}=${+value.toFixed(3)}${register.unit ? ` ${register.unit}` : ''}`,
          );
        }
      }
      log(`${gateway.name} unit ${meter.unitId} (${meter.map.name}): ${values.join(', ')}`);
    }
  } finally {
    client.close(() => undefined);
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const state = new SimState(options.statePath);
  const served = { count: 0 };
  const servers: ServerTCP[] = [];
  try {
    for (const gateway of options.gateways) {
      const profile = new LoadProfile({ seed: options.seed, timeZone: gateway.timeZone });
      servers.push(
        await serve(gateway, new ModbusRegisters(gateway.meters, profile, state), served),
      );
      const units = gateway.meters.map((meter) => `${meter.unitId} ${meter.map.name}`).join(', ');
      log(`${gateway.name}: Modbus TCP on ${gateway.host}:${gateway.port}, units ${units}`);
    }
    if (options.once) {
      for (const gateway of options.gateways) await readBack(gateway);
      return 0;
    }
    await untilStopped(state, served);
    return 0;
  } finally {
    state.save();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** Saves counters every minute with a line on how many reads were served, until SIGINT/SIGTERM. */
function untilStopped(state: SimState, served: { count: number }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      state.save();
      log(`served ${served.count} read(s) in the last minute`);
      served.count = 0;
    }, 60_000);
    const stop = () => {
      clearInterval(timer);
      log('stopping');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function log(line: string): void {
  console.log(`${new Date().toISOString()} [modbus-meter] ${line}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
