import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait';

const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

/**
 * A private Mosquitto on a free port with the dynamic-security plugin, configured as
 * docker/mosquitto/mosquitto.conf is (anonymous off, max_packet_size), never the shared broker.
 * Its dynamic-security file starts with only the admin account, made by `mosquitto_ctrl dynsec init`.
 */
export class PrivateDynsecBroker {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'gridwatch-dynsec-'));
  port = 0;

  /** The admin password is generated per broker (hex: it goes on mosquitto_ctrl's command line). */
  readonly admin = { username: 'gridwatch-admin', password: randomBytes(24).toString('hex') };

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    // Started as root, mosquitto drops to its own user, which must be able to save its files.
    chmodSync(this.dir, 0o777);
    this.port ||= await freePort();
    const dynsec = join(this.dir, 'dynamic-security.json');
    if (!this.child) {
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
        'persistence false',
        '',
      ].join('\n'),
    );
    this.child = spawn('/usr/sbin/mosquitto', ['-c', config], { stdio: 'ignore' });
    await waitFor(
      async () => ((await portOpen(this.port)) ? true : undefined),
      10_000,
      'mosquitto',
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function portOpen(port: number): Promise<boolean> {
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
