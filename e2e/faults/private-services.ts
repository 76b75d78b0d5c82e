import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/api-server';

const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
const READY_TIMEOUT_MS = 30_000;

/** A server of our own on a spare port: started, stopped (by signal) and started again. */
export abstract class PrivateServer {
  port = 0;
  protected child?: ChildProcess;

  constructor(
    readonly name: string,
    protected readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
    // Daemons started as root drop to their own user, which must write here.
    chmodSync(dir, 0o777);
  }

  protected abstract command(): { file: string; args: string[]; uid?: number };

  async start(): Promise<void> {
    this.port ||= await freePort();
    const { file, args, uid } = this.command();
    const log = createWriteStream(join(this.dir, `${this.name}.log`), { flags: 'a' });
    this.child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(uid ? { uid } : {}) });
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    await waitForPort(this.port, this.name, this.child);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Redis with the AOF as the compose file ships it: appendonly yes, appendfsync everysec. */
export class PrivateRedis extends PrivateServer {
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected command() {
    return {
      file: 'redis-server',
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
    };
  }
}

/** PostgreSQL from the installed binaries: initdb into its own directory, trust on loopback. */
export class PrivatePostgres extends PrivateServer {
  private readonly bin = postgresBin();
  private readonly uid = process.getuid?.() === 0 ? postgresUid() : undefined;
  private readonly data = join(this.dir, 'data');

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/gridwatch_faults`;
  }

  override async start(): Promise<void> {
    if (!existsSync(join(this.data, 'PG_VERSION'))) {
      if (this.uid) execFileSync('chown', ['-R', `${this.uid}`, this.dir]);
      execFileSync(join(this.bin, 'initdb'), ['-D', this.data, '-U', 'postgres', '--auth=trust'], {
        stdio: 'ignore',
        ...(this.uid ? { uid: this.uid } : {}),
      });
    }
    await super.start();
  }

  protected command() {
    return {
      file: join(this.bin, 'postgres'),
      args: [
        '-D',
        this.data,
        '-p',
        String(this.port),
        '-k',
        this.dir,
        '-c',
        'listen_addresses=127.0.0.1',
      ],
      uid: this.uid,
    };
  }
}

/**
 * Mosquitto as docker/mosquitto/mosquitto-dynsec.conf configures it: persistence on, anonymous
 * off, dynamic security with an admin account the API provisions devices and the transport with.
 */
export class PrivateMosquitto extends PrivateServer {
  /** Generated per run (hex: it goes on mosquitto_ctrl's command line), never in the source. */
  readonly admin = { username: 'faults-admin', password: randomBytes(24).toString('hex') };

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  protected command() {
    const dynsec = join(this.dir, 'dynamic-security.json');
    if (!existsSync(dynsec)) {
      execFileSync('mosquitto_ctrl', [
        'dynsec',
        'init',
        dynsec,
        this.admin.username,
        this.admin.password,
      ]);
      chmodSync(dynsec, 0o666);
    }
    const config = join(this.dir, 'mosquitto.conf');
    writeFileSync(
      config,
      [
        `listener ${this.port} 127.0.0.1`,
        'allow_anonymous false',
        `plugin ${DYNSEC_PLUGIN}`,
        `plugin_opt_config_file ${dynsec}`,
        'max_packet_size 1048576',
        'persistence true',
        `persistence_location ${this.dir}/`,
        'autosave_interval 60',
        'max_queued_messages 10000',
        '',
      ].join('\n'),
    );
    return { file: '/usr/sbin/mosquitto', args: ['-c', config] };
  }
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}

async function waitForPort(port: number, name: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (await portOpen(port)) return;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`${name} did not listen on ${port} within ${READY_TIMEOUT_MS / 1000} s`);
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
