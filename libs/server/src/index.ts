export * from './lib/server';
