/**
 * Simulates GridWatch's MQTT gateways: each gateway keeps a connection to the broker, publishes a
 * signed batch of every meter's readings every --interval seconds on
 * gridwatch/gateways/{serial}/readings (QoS 1), a signed "online" heartbeat on
 * gridwatch/gateways/{serial}/status (retained) every --ping-interval seconds, and leaves a signed
 * "offline" last will with the broker. See docs/mqtt.md.
 *
 *   node -r ./tools/register.js tools/simulators/mqtt-fleet.ts                 # demo manifest's mqtt gateways
 *   node -r ./tools/register.js tools/simulators/mqtt-fleet.ts --once          # smoke test
 *   node -r ./tools/register.js tools/simulators/mqtt-fleet.ts --gateways 50 --meters 10 --interval 1
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import { GatewayProtocol } from '@gridwatch/contracts';
import { signBody } from './device-auth';
import type { WireBatch } from './device-client';
import { provisionFleet } from './fleet-provisioner';
import { pingOf } from './gateway-ping';
import { LoadProfile, hash32 } from './load-profile';
import { formatRfc3339, isKnownTimeZone } from './local-clock';
import {
  DEFAULT_MANIFEST_PATH,
  readManifest,
  writeManifest,
  type FleetManifest,
  type ManifestGateway,
} from './manifest';
import { demoPassword, ManagementClient } from './management-client';
import { DEFAULT_SIM_STATE_PATH, SimState } from './sim-state';

const USAGE = `Usage: node -r ./tools/register.js tools/simulators/mqtt-fleet.ts [options]
  --broker URL           MQTT broker (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --manifest PATH        fleet manifest with gateway secrets (default $DEMO_MANIFEST or ${DEFAULT_MANIFEST_PATH};
                         with --gateways: .gridwatch/sim-mqtt-fleet.json)
  --interval SECONDS     seconds between batches per gateway, fractions allowed (default 10)
  --ping-interval SEC    seconds between status heartbeats (default 60)
  --mqtt 4|5             3.1.1 with the signed envelope (default, as most field routers), or
                         MQTT 5 with timestamp/signature user properties
  --once                 one batch and one heartbeat per gateway, then exit; 0 only if the broker
                         acknowledged everything
  --seed TEXT            seed of the load curves (default gridwatch)
  --timezone ZONE        site time zone for gateways the manifest gives none (default Europe/London)
  --state PATH           meter counters kept across restarts (default ${DEFAULT_SIM_STATE_PATH})
  --max-pending N        unacknowledged batches per gateway before new ones are dropped (default 360)
  --max-batch N          readings per message at most (default 1000)
  --gateways N --meters M  synthetic fleet: create N gateways x M meters through the API (once;
                         reused while the manifest matches) with
  --api URL --email E --password P  (default http://127.0.0.1:$PORT, the demo owner, $DEMO_PASSWORD)
  -h, --help`;

type MqttVersion = 4 | 5;

interface Options {
  broker: string;
  manifestPath: string;
  intervalMs: number;
  pingIntervalMs: number;
  version: MqttVersion;
  once: boolean;
  seed: string;
  timezone: string;
  statePath: string;
  maxPending: number;
  maxBatch: number;
  synthetic: {
    gateways: number;
    meters: number;
    api: string;
    email: string;
    password: string;
  } | null;
}

interface Stats {
  generated: number;
  published: number;
  failed: number;
  dropped: number;
  heartbeats: number;
  problems: Map<string, number>;
}

class UsageError extends Error {}

/** A device message as the wire contract signs it, for either protocol version. */
function signedMessage(
  version: MqttVersion,
  secret: string,
  document: unknown,
  nowMs: number = Date.now(),
): { payload: string; options: Pick<IClientPublishOptions, 'properties'> } {
  const body = JSON.stringify(document);
  const timestamp = Math.floor(nowMs / 1000);
  const signature = signBody(secret, timestamp, body);
  if (version === 5) {
    return {
      payload: body,
      options: { properties: { userProperties: { timestamp: String(timestamp), signature } } },
    };
  }
  return {
    payload: JSON.stringify({ timestamp: String(timestamp), signature, body }),
    options: {},
  };
}

/** One simulated gateway: a broker connection, its meters' readings, heartbeats and last will. */
class MqttGateway {
  private readonly client: MqttClient;
  private readonly bootedMs: number;
  /** Named by the heartbeats and the last will, so the transport honours the will once (docs/mqtt.md). */
  private readonly session = `sim-${randomUUID()}`;
  private pending = 0;
  private stats = emptyStats();

  constructor(
    private readonly gateway: ManifestGateway,
    private readonly profile: LoadProfile,
    private readonly state: SimState,
    private readonly options: Options,
  ) {
    this.bootedMs = Date.now() - (1 + (hash32(`boot|${gateway.serialNumber}`) % 20)) * 86_400_000;
    const will = signedMessage(options.version, gateway.secret, this.status('offline'));
    const clientOptions: IClientOptions = {
      protocolVersion: options.version,
      clientId: `gw-sim-${gateway.serialNumber}`,
      // The broker account the API provisions for the gateway (docs/mqtt.md, "Broker accounts");
      // a broker without accounts ignores it.
      username: gateway.serialNumber,
      password: gateway.secret,
      reconnectPeriod: 2000,
      // Refused until the API has provisioned the account: ask again (mqtt.js 5 stops otherwise).
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      will: {
        topic: this.topic('status'),
        payload: Buffer.from(will.payload),
        qos: 1,
        retain: true,
        properties: will.options.properties,
      },
    };
    this.client = connect(options.broker, clientOptions);
    this.client.on('connect', () => void this.heartbeat(Date.now()));
    this.client.on('error', (error) => this.note(`broker: ${error.message}`));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Samples every meter at `ms` and publishes the readings, split into --max-batch messages. */
  publishReadings(ms: number): Promise<boolean>[] {
    const timestamp = formatRfc3339(ms, this.profile.timeZone);
    const readings = this.gateway.meters.flatMap((meter) => {
      const counters = this.profile.advance(
        meter,
        this.state.get(meter.id) ?? this.profile.initialCounters(meter, ms),
        ms,
      );
      this.state.set(meter.id, counters);
      return this.profile
        .readingsOf(meter, this.profile.sample(meter, ms), counters)
        .map((reading) => ({ meter_id: meter.id, ...reading }));
    });
    const sends: Promise<boolean>[] = [];
    for (let start = 0; start < readings.length; start += this.options.maxBatch) {
      const chunk = readings.slice(start, start + this.options.maxBatch);
      const batch: WireBatch = {
        gateway_serial: this.gateway.serialNumber,
        timestamp,
        readings: chunk,
      };
      this.stats.generated += chunk.length;
      if (this.pending >= this.options.maxPending) {
        this.stats.dropped += chunk.length;
        this.note(`${this.options.maxPending} batches unacknowledged: dropped a new one`);
        continue;
      }
      sends.push(this.publish('readings', batch, false, chunk.length));
    }
    return sends;
  }

  /** A signed "online" heartbeat with the router's connection details, retained. */
  async heartbeat(ms: number): Promise<void> {
    if (await this.publish('status', this.status('online', ms), true, 0))
      this.stats.heartbeats += 1;
  }

  /** Disconnects; with `goodbye`, first says "offline" (signed, retained) as the will would. */
  async stop(goodbye: boolean): Promise<void> {
    if (goodbye && this.client.connected) {
      await this.publish('status', this.status('offline'), true, 0);
    }
    await this.client.endAsync();
  }

  takeStats(): Stats {
    const stats = this.stats;
    this.stats = emptyStats();
    return stats;
  }

  get unacknowledged(): number {
    return this.pending;
  }

  private async publish(
    leaf: 'readings' | 'status',
    document: unknown,
    retain: boolean,
    readings: number,
  ): Promise<boolean> {
    // Signed when handed to the client: a batch queued while offline keeps its first signature,
    // so it must reach the broker within the server's replay window (300 s by default).
    const message = signedMessage(this.options.version, this.gateway.secret, document);
    this.pending += 1;
    try {
      await this.client.publishAsync(this.topic(leaf), message.payload, {
        qos: 1,
        retain,
        ...message.options,
      });
      this.stats.published += readings;
      return true;
    } catch (error) {
      this.stats.failed += readings;
      this.note(`publish: ${(error as Error).message}`);
      return false;
    } finally {
      this.pending -= 1;
    }
  }

  private status(status: 'online' | 'offline', ms = Date.now()): Record<string, unknown> {
    const timestamp = formatRfc3339(ms, this.profile.timeZone);
    if (status === 'offline') {
      return {
        status,
        gateway_serial: this.gateway.serialNumber,
        timestamp,
        session: this.session,
      };
    }
    const ping = pingOf(this.gateway.serialNumber, this.gateway.host, ms, this.bootedMs, timestamp);
    return { status, ...ping, session: this.session };
  }

  private topic(leaf: 'readings' | 'status'): string {
    return `gridwatch/gateways/${this.gateway.serialNumber}/${leaf}`;
  }

  private note(problem: string): void {
    this.stats.problems.set(problem, (this.stats.problems.get(problem) ?? 0) + 1);
  }
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      broker: { type: 'string' },
      manifest: { type: 'string' },
      interval: { type: 'string', default: '10' },
      'ping-interval': { type: 'string', default: '60' },
      mqtt: { type: 'string', default: '4' },
      once: { type: 'boolean', default: false },
      seed: { type: 'string', default: 'gridwatch' },
      timezone: { type: 'string', default: 'Europe/London' },
      state: { type: 'string', default: DEFAULT_SIM_STATE_PATH },
      'max-pending': { type: 'string', default: '360' },
      'max-batch': { type: 'string', default: '1000' },
      gateways: { type: 'string' },
      meters: { type: 'string' },
      api: { type: 'string' },
      email: { type: 'string', default: 'owner@demo.gridwatch.dev' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.mqtt !== '4' && values.mqtt !== '5') throw new UsageError('--mqtt must be 4 or 5');
  if (!isKnownTimeZone(values.timezone))
    throw new UsageError(`--timezone ${values.timezone} is not an IANA time zone`);
  const synthetic = values.gateways !== undefined || values.meters !== undefined;
  if (synthetic && (values.gateways === undefined || values.meters === undefined)) {
    throw new UsageError('--gateways and --meters go together');
  }
  return {
    broker: values.broker ?? (process.env['MQTT_URL'] || 'mqtt://127.0.0.1:1883'),
    manifestPath:
      values.manifest ??
      (synthetic
        ? '.gridwatch/sim-mqtt-fleet.json'
        : process.env['DEMO_MANIFEST'] || DEFAULT_MANIFEST_PATH),
    intervalMs: positive(values.interval, '--interval') * 1000,
    pingIntervalMs: positive(values['ping-interval'], '--ping-interval') * 1000,
    version: Number(values.mqtt) as MqttVersion,
    once: values.once,
    seed: values.seed,
    timezone: values.timezone,
    statePath: values.state,
    maxPending: Math.floor(positive(values['max-pending'], '--max-pending')),
    maxBatch: Math.floor(positive(values['max-batch'], '--max-batch')),
    synthetic: synthetic
      ? {
          gateways: Math.floor(positive(values.gateways as string, '--gateways')),
          meters: Math.floor(positive(values.meters as string, '--meters')),
          api: values.api ?? `http://127.0.0.1:${process.env['PORT'] || 3000}`,
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

/**
 * The gateways to simulate: the manifest's mqtt gateways, or every gateway of a synthetic fleet
 * created (once) through the API as mqtt gateways, so that a broker with accounts (npm start's,
 * docs/mqtt.md) lets them in. A synthetic manifest made before that holds http gateways: made again.
 */
async function loadGateways(options: Options): Promise<ManifestGateway[]> {
  const spec = options.synthetic;
  if (!spec) {
    const gateways = readManifest(options.manifestPath).gateways.filter(
      (gateway) => gateway.protocol === 'mqtt',
    );
    if (gateways.length === 0) throw new UsageError(`${options.manifestPath} has no mqtt gateways`);
    return gateways;
  }
  if (existsSync(options.manifestPath)) {
    const existing = readManifest(options.manifestPath);
    if (
      existing.gateways.length === spec.gateways &&
      existing.gateways.every(
        (gateway) => gateway.meters.length === spec.meters && gateway.protocol === 'mqtt',
      )
    ) {
      log(`reusing the synthetic fleet in ${options.manifestPath}`);
      return existing.gateways;
    }
  }
  log(`creating ${spec.gateways} gateway(s) x ${spec.meters} meter(s) through ${spec.api}`);
  const client = await ManagementClient.login(spec.api, spec.email, spec.password);
  const manifest: FleetManifest = await provisionFleet(
    client,
    {
      gateways: spec.gateways,
      metersPerGateway: spec.meters,
      timezone: options.timezone,
      // mqtt gateways: the API gives each a broker account (user = serial, password = secret).
      protocol: GatewayProtocol.Mqtt,
    },
    log,
  );
  writeManifest(options.manifestPath, manifest);
  log(`wrote ${options.manifestPath}`);
  return manifest.gateways;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const gateways = await loadGateways(options);
  const state = new SimState(options.statePath);
  const fleet = gateways.map((gateway) => {
    const timeZone =
      gateway.timezone && isKnownTimeZone(gateway.timezone) ? gateway.timezone : options.timezone;
    return new MqttGateway(
      gateway,
      new LoadProfile({ seed: options.seed, timeZone }),
      state,
      options,
    );
  });
  const meters = gateways.reduce((sum, gateway) => sum + gateway.meters.length, 0);
  const perSecond = (fleet.length * 1000) / options.intervalMs;
  log(
    `simulating ${fleet.length} gateway(s), ${meters} meter(s) -> ${options.broker} ` +
      `(MQTT ${options.version === 5 ? '5' : '3.1.1'}, ${round(perSecond)} batch(es)/s` +
      `${options.once ? ', once' : ''})`,
  );
  return options.once ? runOnce(fleet, state) : runForever(fleet, state, options);
}

async function runOnce(fleet: MqttGateway[], state: SimState): Promise<number> {
  await waitForConnections(fleet, 15_000);
  const ms = Math.floor(Date.now() / 1000) * 1000;
  const sends = fleet.flatMap((gateway) => [...gateway.publishReadings(ms), gateway.heartbeat(ms)]);
  state.save();
  await Promise.race([Promise.all(sends), delay(15_000)]);
  const stats = collect(fleet);
  const unacknowledged = fleet.reduce((sum, gateway) => sum + gateway.unacknowledged, 0);
  log(summary('tick 1', stats, unacknowledged));
  await Promise.all(fleet.map((gateway) => gateway.stop(false)));
  const clean = stats.failed === 0 && stats.dropped === 0 && unacknowledged === 0;
  return clean && stats.published === stats.generated ? 0 : 1;
}

async function runForever(
  fleet: MqttGateway[],
  state: SimState,
  options: Options,
): Promise<number> {
  let stopping = false;
  let wakeUp: () => void = () => undefined;
  const stop = (): void => {
    stopping = true;
    wakeUp();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let lastPingMs = Date.now();
  let lastLogMs = 0;
  for (let tick = 1; !stopping; tick += 1) {
    // Ticks fall on the interval's grid, so readings carry tidy timestamps (..:00, ..:10, ...).
    const ms = Math.floor(Date.now() / options.intervalMs) * options.intervalMs;
    for (const gateway of fleet) void Promise.all(gateway.publishReadings(ms));
    state.save();
    if (ms - lastPingMs >= options.pingIntervalMs) {
      lastPingMs = ms;
      for (const gateway of fleet) void gateway.heartbeat(ms);
    }
    // At most one summary line every 10 s, whatever the interval.
    if (Date.now() - lastLogMs >= 10_000) {
      lastLogMs = Date.now();
      const unacknowledged = fleet.reduce((sum, gateway) => sum + gateway.unacknowledged, 0);
      log(summary(`tick ${tick}`, collect(fleet), unacknowledged));
    }
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
  await Promise.race([Promise.all(fleet.map((gateway) => gateway.stop(true))), delay(5_000)]);
  const unacknowledged = fleet.reduce((sum, gateway) => sum + gateway.unacknowledged, 0);
  log(summary('stopped; since the last line', collect(fleet), unacknowledged));
  return 0;
}

async function waitForConnections(fleet: MqttGateway[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (fleet.some((gateway) => !gateway.connected) && Date.now() < deadline) await delay(100);
}

function collect(fleet: MqttGateway[]): Stats {
  const total = emptyStats();
  for (const gateway of fleet) {
    const stats = gateway.takeStats();
    total.generated += stats.generated;
    total.published += stats.published;
    total.failed += stats.failed;
    total.dropped += stats.dropped;
    total.heartbeats += stats.heartbeats;
    for (const [problem, count] of stats.problems)
      total.problems.set(problem, (total.problems.get(problem) ?? 0) + count);
  }
  return total;
}

/** Counts in readings since the last line; "published" means the broker acknowledged (PUBACK). */
function summary(label: string, stats: Stats, unacknowledged: number): string {
  const parts = [
    `${label}: generated ${stats.generated}`,
    `published ${stats.published}`,
    `heartbeats ${stats.heartbeats}`,
  ];
  if (stats.failed) parts.push(`failed ${stats.failed}`);
  if (stats.dropped) parts.push(`dropped ${stats.dropped}`);
  if (unacknowledged) parts.push(`unacknowledged ${unacknowledged} message(s)`);
  const problems = [...stats.problems.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([problem, count]) => (count > 1 ? `${problem} (x${count})` : problem));
  return parts.join(', ') + (problems.length ? ` | ${problems.join('; ')}` : '');
}

function emptyStats(): Stats {
  return { generated: 0, published: 0, failed: 0, dropped: 0, heartbeats: 0, problems: new Map() };
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : value.toFixed(2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function log(line: string): void {
  console.log(`${new Date().toISOString()} [mqtt-fleet] ${line}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
