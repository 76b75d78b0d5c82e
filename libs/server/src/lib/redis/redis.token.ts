/** The app's ioredis client (RedisModule). */
export const REDIS = Symbol('REDIS');
