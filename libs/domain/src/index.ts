export * from './lib/meter-status';
export * from './lib/units';
export * from './lib/value-ranges';
export * from './lib/rollup-buckets';
export * from './lib/rollup-math';
export * from './lib/rfc3339';
export * from './lib/replay-window';
