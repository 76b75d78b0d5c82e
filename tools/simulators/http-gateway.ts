/**
 * Simulates GridWatch's `http` gateways: every --interval seconds each gateway sends one batch with
 * every parameter of every meter (POST /api/v1/readings/ingest), and a heartbeat every
 * --ping-interval seconds (POST /api/v1/gateway/ping). See docs/simulators.md.
 *
 *   node -r ./tools/register.js tools/simulators/http-gateway.ts [--manifest .gridwatch/demo.json]
 *   node -r ./tools/register.js tools/simulators/http-gateway.ts --once          # smoke test
 *   node -r ./tools/register.js tools/simulators/http-gateway.ts --gateways 5 --meters 20
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEVICE_AUTH_MODES, type DeviceAuthMode } from './device-auth';
import { provisionFleet } from './fleet-provisioner';
import { GatewaySimulator, addStats, emptyStats, type GatewayStats } from './gateway-simulator';
import { LoadProfile } from './load-profile';
import { isKnownTimeZone } from './local-clock';
import { DEFAULT_MANIFEST_PATH, type FleetManifest, readManifest, writeManifest } from './manifest';
import { demoPassword, ManagementClient } from './management-client';
import { DEFAULT_SIM_STATE_PATH, SimState } from './sim-state';

const USAGE = `Usage: node -r ./tools/register.js tools/simulators/http-gateway.ts [options]
  --api URL              API base URL (default http://127.0.0.1:$PORT or :3000)
  --manifest PATH        fleet manifest with gateway secrets (default $DEMO_MANIFEST or ${DEFAULT_MANIFEST_PATH};
                         with --gateways: .gridwatch/sim-fleet.json)
  --interval SECONDS     seconds between batches (default 10)
  --ping-interval SEC    seconds between heartbeats (default 60)
  --auth hmac|secret     signed requests (default) or the plain X-Device-Secret header
  --once                 send one tick (batch + ping) and exit; exit 1 if anything was rejected or unsent
  --seed TEXT            seed of the load curves (default gridwatch)
  --timezone ZONE        site time zone for gateways the manifest gives none (default Europe/London)
  --protocol NAME        simulate the manifest's gateways of this protocol (default http)
  --state PATH           meter counters kept across restarts (default ${DEFAULT_SIM_STATE_PATH})
  --max-pending N        unsent batches kept per gateway before the oldest is dropped (default 360)
  --max-batch N          readings per request at most (default 1000)
  --gateways N --meters M  synthetic fleet: create N http gateways x M meters through the API
                         (once; reused while the manifest matches), logging in with
  --email E --password P   (default owner@demo.gridwatch.dev / $DEMO_PASSWORD)
  -h, --help`;

interface Options {
  api: string;
  manifestPath: string;
  intervalMs: number;
  pingIntervalMs: number;
  auth: DeviceAuthMode;
  once: boolean;
  seed: string;
  timezone: string;
  protocol: string;
  statePath: string;
  maxPending: number;
  maxBatch: number;
  synthetic: { gateways: number; meters: number; email: string; password: string } | null;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      api: { type: 'string' },
      manifest: { type: 'string' },
      interval: { type: 'string', default: '10' },
      'ping-interval': { type: 'string', default: '60' },
      auth: { type: 'string', default: 'hmac' },
      once: { type: 'boolean', default: false },
      seed: { type: 'string', default: 'gridwatch' },
      timezone: { type: 'string', default: 'Europe/London' },
      protocol: { type: 'string', default: 'http' },
      state: { type: 'string', default: DEFAULT_SIM_STATE_PATH },
      'max-pending': { type: 'string', default: '360' },
      'max-batch': { type: 'string', default: '1000' },
      gateways: { type: 'string' },
      meters: { type: 'string' },
      email: { type: 'string', default: 'owner@demo.gridwatch.dev' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!DEVICE_AUTH_MODES.includes(values.auth as DeviceAuthMode))
    throw new UsageError('--auth must be hmac or secret');
  if (!isKnownTimeZone(values.timezone))
    throw new UsageError(`--timezone ${values.timezone} is not an IANA time zone`);
  const synthetic = values.gateways !== undefined || values.meters !== undefined;
  if (synthetic && (values.gateways === undefined || values.meters === undefined)) {
    throw new UsageError('--gateways and --meters go together');
  }
  return {
    api: values.api ?? `http://127.0.0.1:${process.env['PORT'] || 3000}`,
    manifestPath:
      values.manifest ??
      (synthetic
        ? '.gridwatch/sim-fleet.json'
        : process.env['DEMO_MANIFEST'] || DEFAULT_MANIFEST_PATH),
    intervalMs: positive(values.interval, '--interval') * 1000,
    pingIntervalMs: positive(values['ping-interval'], '--ping-interval') * 1000,
    auth: values.auth as DeviceAuthMode,
    once: values.once,
    seed: values.seed,
    timezone: values.timezone,
    protocol: values.protocol,
    statePath: values.state,
    maxPending: Math.floor(positive(values['max-pending'], '--max-pending')),
    maxBatch: Math.floor(positive(values['max-batch'], '--max-batch')),
    synthetic: synthetic
      ? {
          gateways: Math.floor(positive(values.gateways as string, '--gateways')),
          meters: Math.floor(positive(values.meters as string, '--meters')),
          email: values.email,
          password: values.password ?? demoPassword(),
        }
      : null,
  };
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number`);
  return value;
}

/** The manifest to simulate: the given one, or a synthetic fleet created (once) through the API. */
async function loadFleet(options: Options): Promise<FleetManifest> {
  const spec = options.synthetic;
  if (!spec) return readManifest(options.manifestPath);
  if (existsSync(options.manifestPath)) {
    const existing = readManifest(options.manifestPath);
    const matches =
      existing.gateways.length === spec.gateways &&
      existing.gateways.every((gateway) => gateway.meters.length === spec.meters);
    if (matches) {
      log(`reusing the synthetic fleet in ${options.manifestPath}`);
      return existing;
    }
  }
  log(
    `creating ${spec.gateways} gateway(s) x ${spec.meters} meter(s) through ${options.api} as ${spec.email}`,
  );
  const client = await ManagementClient.login(options.api, spec.email, spec.password);
  const manifest = await provisionFleet(
    client,
    { gateways: spec.gateways, metersPerGateway: spec.meters, timezone: options.timezone },
    log,
  );
  writeManifest(options.manifestPath, manifest);
  log(`wrote ${options.manifestPath}`);
  return manifest;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const fleet = await loadFleet(options);
  const gateways = fleet.gateways.filter((gateway) => gateway.protocol === options.protocol);
  if (gateways.length === 0)
    throw new UsageError(`${options.manifestPath} has no ${options.protocol} gateways`);
  const state = new SimState(options.statePath);
  const simulators = gateways.map((gateway) => {
    const timeZone =
      gateway.timezone && isKnownTimeZone(gateway.timezone) ? gateway.timezone : options.timezone;
    return new GatewaySimulator(gateway, new LoadProfile({ seed: options.seed, timeZone }), state, {
      api: options.api,
      auth: options.auth,
      maxPending: options.maxPending,
      maxBatchReadings: options.maxBatch,
      maxAttempts: options.once ? 4 : Infinity,
      refreshSecret: (serial) => secretInManifest(options.manifestPath, serial),
    });
  });
  const meterCount = gateways.reduce((sum, gateway) => sum + gateway.meters.length, 0);
  log(
    `simulating ${simulators.length} ${options.protocol} gateway(s), ${meterCount} meter(s) -> ${options.api} ` +
      `(every ${options.intervalMs / 1000} s, ${options.auth} auth${options.once ? ', once' : ''})`,
  );
  return options.once ? runOnce(simulators, state) : runForever(simulators, state, options);
}

/** One tick, delivered with a few retries; 1 when anything was rejected, refused or left unsent. */
async function runOnce(simulators: GatewaySimulator[], state: SimState): Promise<number> {
  const ms = Math.floor(Date.now() / 1000) * 1000;
  for (const simulator of simulators) simulator.generate(ms);
  state.save();
  await Promise.all(simulators.flatMap((simulator) => [simulator.drain(), simulator.ping(ms)]));
  const stats = collect(simulators);
  const unsent = simulators.reduce((sum, simulator) => sum + simulator.pending, 0);
  log(summary(1, stats, unsent));
  const clean =
    stats.rejected === 0 &&
    stats.failed === 0 &&
    stats.dropped === 0 &&
    stats.pingsFailed === 0 &&
    unsent === 0;
  return clean && stats.accepted === stats.generated ? 0 : 1;
}

async function runForever(
  simulators: GatewaySimulator[],
  state: SimState,
  options: Options,
): Promise<number> {
  let stopping = false;
  let wakeUp: () => void = () => undefined;
  const stop = (): void => {
    stopping = true;
    for (const simulator of simulators) simulator.stop();
    wakeUp();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let lastPingMs = -Infinity;
  for (let tick = 1; !stopping; tick += 1) {
    // Ticks fall on the interval's grid, so readings carry tidy timestamps (..:00, ..:10, ...).
    const ms = Math.floor(Date.now() / options.intervalMs) * options.intervalMs;
    for (const simulator of simulators) simulator.generate(ms);
    state.save();
    const work = simulators.map((simulator) => simulator.drain());
    if (ms - lastPingMs >= options.pingIntervalMs) {
      lastPingMs = ms;
      work.push(...simulators.map((simulator) => simulator.ping(ms)));
    }
    // Report what this tick's deliveries achieved, unless they are still backing off.
    await Promise.race([Promise.all(work), delay(options.intervalMs * 0.8)]);
    const pending = simulators.reduce((sum, simulator) => sum + simulator.pending, 0);
    log(summary(tick, collect(simulators), pending));
    const nextMs = ms + options.intervalMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, nextMs - Date.now()));
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  state.save();
  const unsent = simulators.reduce((sum, simulator) => sum + simulator.pending, 0);
  log(`stopped; ${unsent} unsent batch(es) discarded`);
  return 0;
}

function collect(simulators: GatewaySimulator[]): GatewayStats {
  return simulators.reduce(
    (total, simulator) => addStats(total, simulator.takeStats()),
    emptyStats(),
  );
}

/** One line per tick: what was generated, sent, accepted, rejected, and why anything went wrong. */
function summary(tick: number, stats: GatewayStats, pending: number): string {
  const parts = [
    `tick ${tick}: generated ${stats.generated}`,
    `sent ${stats.sent}`,
    `accepted ${stats.accepted}`,
    `rejected ${stats.rejected}`,
  ];
  if (stats.failed) parts.push(`failed ${stats.failed}`);
  if (stats.dropped) parts.push(`dropped ${stats.dropped}`);
  if (stats.retries) parts.push(`retries ${stats.retries}`);
  if (pending) parts.push(`pending ${pending} batch(es)`);
  if (stats.pingsOk || stats.pingsFailed)
    parts.push(
      `pings ${stats.pingsOk} ok${stats.pingsFailed ? `, ${stats.pingsFailed} failed` : ''}`,
    );
  const problems = [...stats.problems.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([problem, count]) => (count > 1 ? `${problem} (x${count})` : problem));
  return parts.join(', ') + (problems.length ? ` | ${problems.join('; ')}` : '');
}

function secretInManifest(path: string, serialNumber: string): string | null {
  try {
    return (
      readManifest(path).gateways.find((gateway) => gateway.serialNumber === serialNumber)
        ?.secret ?? null
    );
  } catch {
    return null;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function log(line: string): void {
  console.log(`${new Date().toISOString()} [http-gateway] ${line}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
