/**
 * Writes a migration for whatever the entities need beyond the migrated schema.
 * Usage: npm run db:generate -- <PascalCaseName>
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, loadConfigWithoutSecrets, migrate, schemaDrift } from '@gridwatch/server';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
    throw new Error('Give a PascalCase migration name');
  const base = loadConfigWithoutSecrets();
  const url = new URL(base.databaseUrl);
  url.pathname = `/gridwatch_migration_${process.pid}`;
  const config = { ...base, databaseUrl: url.toString() };
  await migrate(config);
  try {
    const drift = await schemaDrift(config);
    if (drift.up.length === 0) {
      console.log('Entities and migrations agree: nothing to generate.');
      return;
    }
    const timestamp = Date.now();
    const file = join(
      __dirname,
      '../../libs/server/src/lib/database/migrations',
      `${timestamp}-${kebab(name)}.ts`,
    );
    writeFileSync(file, render(`${name}${timestamp}`, drift.up, drift.down.reverse()));
    console.log(`Wrote ${file}; add it to MIGRATIONS in migrations/index.ts.`);
  } finally {
    await dropDatabase(config.databaseUrl);
  }
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function render(className: string, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((query) => `    await queryRunner.query(${JSON.stringify(query)});`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
