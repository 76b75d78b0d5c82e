import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './built-app';
import { waitFor } from './wait';

/**
 * A PostgreSQL of the test's own (the installed binaries, initdb into a temporary directory, trust
 * on loopback) on a spare port, that the test may stop and start again; the shared server is never
 * touched. Run as the postgres user when the tests run as root (postgres refuses root).
 */
export class PrivatePostgres {
  private process?: ChildProcess;
  private readonly bin = postgresBin();
  private readonly uid =
    process.getuid?.() === 0
      ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
      : undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** initdb and start; `migrate` creates the database `url` names. */
  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'gw-postgres-'));
    const postgres = new PrivatePostgres(await freePort(), dir);
    chmodSync(dir, 0o777);
    execFileSync(
      join(postgres.bin, 'initdb'),
      ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust'],
      { stdio: 'ignore', ...(postgres.uid ? { uid: postgres.uid } : {}) },
    );
    await postgres.resume();
    return postgres;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/gridwatch`;
  }

  /** (Re)starts the server on the same port and data directory. */
  async resume(): Promise<void> {
    if (this.process) return;
    const args = ['-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir];
    this.process = spawn(
      join(this.bin, 'postgres'),
      [...args, '-c', 'listen_addresses=127.0.0.1'],
      {
        stdio: 'ignore',
        ...(this.uid ? { uid: this.uid } : {}),
      },
    );
    // Listening is not enough: it answers "starting up" until recovery is done.
    const isReady = () =>
      spawnSync(join(this.bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(this.port)])
        .status === 0;
    await waitFor(async () => (isReady() ? true : undefined), 30_000, 'postgres');
  }

  /** Fast shutdown (SIGINT: clients are disconnected at once) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    this.process = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}
