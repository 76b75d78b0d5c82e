export * from './lib/auth';
export * from './lib/devices';
export * from './lib/errors';
export * from './lib/events';
export * from './lib/pagination';
export * from './lib/readings';
export * from './lib/ingest';
export * from './lib/realtime';
