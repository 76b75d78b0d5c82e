/**
 * Admin commands: `node dist/apps/api/cli.js <command>`
 *   migrate                      apply pending migrations (creates the database if needed)
 *   create-org --name N --owner-email E --owner-name O --password P
 *   seed-demo                    create/refresh the demo organization (DEMO_PASSWORD, DEMO_MANIFEST)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  DomainException,
  loadConfig,
  loadConfigWithoutSecrets,
  migrate,
} from '@gridwatch/server';
import { CliModule } from './cli/cli.module';
import { DemoManifest, DemoSeeder } from './cli/demo-seeder';
import { DEMO_EMAIL_DOMAIN } from './cli/demo-fleet';
import { OrganizationsService } from './modules/organizations/organizations.service';

async function run(command: string | undefined, args: string[]): Promise<void> {
  switch (command) {
    case 'migrate': {
      // Only the database: a fresh machine can migrate before its secrets exist.
      const ran = await migrate(loadConfigWithoutSecrets());
      console.log(ran.length ? `Applied: ${ran.join(', ')}` : 'Database is up to date.');
      return;
    }
    case 'create-org':
      loadConfig(); // fail fast, naming every missing secret, before any connection
      return createOrganization(args);
    case 'seed-demo':
      loadConfig();
      return seedDemo();
    default:
      throw new UsageError(
        `Unknown command "${command ?? ''}". Use migrate, create-org or seed-demo.`,
      );
  }
}

async function createOrganization(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-name': { type: 'string' },
      password: { type: 'string' },
    },
  });
  const { name, 'owner-email': email, 'owner-name': ownerName, password } = values;
  if (!name || !email || !ownerName || !password || password.length < 10) {
    throw new UsageError(
      'create-org needs --name, --owner-email, --owner-name and a --password of 10+ characters',
    );
  }
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const { organization, owner } = await app
      .get(OrganizationsService)
      .createWithOwner({ organizationName: name, ownerName, email, password });
    console.log(
      `Created organization ${organization.name} (${organization.id}) with owner ${owner.email}`,
    );
  } finally {
    await app.close();
  }
}

async function seedDemo(): Promise<void> {
  const password = process.env['DEMO_PASSWORD'];
  // No default: a password written in the source would open every demo that kept it.
  if (!password) {
    throw new Error(
      'seed-demo needs DEMO_PASSWORD (npm start generates one into .gridwatch/secrets.env)',
    );
  }
  const manifestPath = process.env['DEMO_MANIFEST'] || '.gridwatch/demo.json';
  const previous = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as DemoManifest)
    : null;
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const manifest = await app.get(DemoSeeder).seed(password, previous);
    mkdirSync(dirname(manifestPath), { recursive: true });
    // Holds device secrets for the simulators: keep it private to this user.
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), { mode: 0o600 });
    console.log(`Demo organization ready; simulator manifest in ${manifestPath}`);
    console.log('Logins (password: $DEMO_PASSWORD):');
    for (const role of ['owner', 'operator', 'viewer', 'support'])
      console.log(`  ${role}@${DEMO_EMAIL_DOMAIN}`);
  } finally {
    await app.close();
  }
}

class UsageError extends Error {}

const [command, ...args] = process.argv.slice(2);
run(command, args).then(
  () => process.exit(0),
  (error: unknown) => {
    const known =
      error instanceof ConfigError ||
      error instanceof UsageError ||
      error instanceof DomainException; // e.g. weak_password, email_taken
    if (known) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
