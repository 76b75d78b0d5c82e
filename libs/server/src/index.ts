export * from './lib/config/app-config';
export * from './lib/config/config.module';
export * from './lib/crypto/secret-box';
export * from './lib/database/data-source-options';
export * from './lib/database/database-admin';
export * from './lib/database/entities';
export * from './lib/errors/domain-exception';
