import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

type DatabaseConfig = Pick<
  AppConfig,
  'databaseUrl' | 'databasePoolSize' | 'databaseConnectTimeoutMs'
>;

/** The one description of our database: entities, migrations, pool limits. Never synchronize. */
export function dataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logging: ['error', 'warn', 'migration'],
    // pg waits forever for a pooled connection by default (typeorm#2460): bound it.
    extra: {
      max: config.databasePoolSize,
      connectionTimeoutMillis: config.databaseConnectTimeoutMs,
      // JIT compiles the rollup step's set-based statements (high cost estimates over many keys
      // and partitions) for seconds, to run them in milliseconds: measured 4.4 s of 4.7 s.
      options: '-c jit=off',
    },
  };
}
