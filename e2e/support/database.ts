import { Client } from 'pg';

/**
 * The server the run's database goes on: the one DATABASE_URL names (tools/local-env.sh builds it
 * from PGPORT), reached through its `postgres` database.
 */
const ADMIN_URL = adminUrl(
  process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/gridwatch',
);

function adminUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** The URL of database `name` on the same server as the admin connection. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`),
  );
}

async function withAdmin(work: (client: Client) => Promise<unknown>): Promise<void> {
  await withDatabase(ADMIN_URL, work);
}

/** One connection to `url` for `work`, closed afterwards. */
export async function withDatabase<T>(
  url: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
