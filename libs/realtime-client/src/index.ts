export * from './lib/realtime-client';
export * from './lib/provide-realtime-client';
