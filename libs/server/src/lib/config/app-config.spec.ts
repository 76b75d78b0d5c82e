import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, loadConfigWithoutSecrets } from './app-config';

// Generated per run: a test never relies on a secret printed in the source.
const SECRETS = {
  JWT_SECRET: randomBytes(48).toString('base64'),
  CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs locally with only the two secrets set', () => {
    const config = loadConfig(SECRETS);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/gridwatch');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.jwtSecret).toBe(SECRETS.JWT_SECRET);
    expect(config.credentialsKey).toEqual(
      Buffer.from(SECRETS.CREDENTIALS_ENCRYPTION_KEY, 'base64'),
    );
    expect(config.signupEnabled).toBe(false);
    expect(config.signupMaxAttemptsPerIp).toBe(10);
  });

  it.each(['development', 'test', 'production', undefined])(
    'refuses to start without JWT_SECRET and CREDENTIALS_ENCRYPTION_KEY when NODE_ENV is %s',
    (nodeEnv) => {
      const problems = problemsOf(() => loadConfig({ NODE_ENV: nodeEnv }));
      expect(problems).toEqual([
        expect.stringMatching(/^JWT_SECRET is required/),
        expect.stringMatching(/^CREDENTIALS_ENCRYPTION_KEY is required/),
      ]);
      expect(problems.join('\n')).toContain('.gridwatch/secrets.env');
    },
  );

  it('names the one missing secret when the other is set', () => {
    expect(problemsOf(() => loadConfig({ JWT_SECRET: SECRETS.JWT_SECRET }))).toEqual([
      expect.stringMatching(/^CREDENTIALS_ENCRYPTION_KEY is required/),
    ]);
  });

  it('refuses a short JWT secret', () => {
    expect(problemsOf(() => loadConfig({ ...SECRETS, JWT_SECRET: 'too-short' }))).toEqual([
      'JWT_SECRET must be at least 32 characters',
    ]);
  });

  it('migrations and schema tools need no secrets', () => {
    expect(loadConfigWithoutSecrets({}).databaseUrl).toBe(
      'postgres://postgres@127.0.0.1:5432/gridwatch',
    );
    expect(loadConfigWithoutSecrets({})).not.toHaveProperty('jwtSecret');
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      loadConfig({ ...SECRETS, PORT: 'abc', DATABASE_URL: 'mysql://x', SIGNUP_ENABLED: 'maybe' }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringContaining('PORT'),
          expect.stringContaining('DATABASE_URL'),
          expect.stringContaining('SIGNUP_ENABLED'),
        ],
      }),
    );
  });

  it('resolves ATTACHMENTS_DIR to an absolute path and refuses a padded or NUL-bearing one', () => {
    expect(loadConfig(SECRETS).attachmentsDir).toBe(resolve('.gridwatch/attachments'));
    expect(
      loadConfig({ ...SECRETS, ATTACHMENTS_DIR: '/var/lib/gridwatch/files' }).attachmentsDir,
    ).toBe('/var/lib/gridwatch/files');
    for (const bad of [' /srv/files', '/srv/fi\0les']) {
      expect(problemsOf(() => loadConfig({ ...SECRETS, ATTACHMENTS_DIR: bad }))).toEqual([
        expect.stringMatching(/^ATTACHMENTS_DIR must be a directory path/),
      ]);
    }
  });

  it('provisions broker accounts only with an admin account, each user name with its password', () => {
    const open = loadConfig(SECRETS);
    expect(open.mqttAdmin).toBeUndefined();
    expect(open.mqttUsername).toBeUndefined();
    const adminPassword = randomBytes(18).toString('base64url');
    const secured = loadConfig({
      ...SECRETS,
      MQTT_ADMIN_USERNAME: 'admin',
      MQTT_ADMIN_PASSWORD: adminPassword,
      MQTT_USERNAME: 'transport',
      MQTT_PASSWORD: randomBytes(18).toString('base64url'),
    });
    expect(secured.mqttAdmin).toEqual({ username: 'admin', password: adminPassword });
    expect(secured.mqttUsername).toBe('transport');
    expect(secured.brokerReconcileSeconds).toBe(300);
    expect(problemsOf(() => loadConfig({ ...SECRETS, MQTT_ADMIN_USERNAME: 'admin' }))).toEqual([
      'MQTT_ADMIN_USERNAME and MQTT_ADMIN_PASSWORD are set together or not at all',
    ]);
  });

  it('binds the transport health and metrics to loopback unless TRANSPORT_HOST says otherwise', () => {
    expect(loadConfig(SECRETS).transportHost).toBe('127.0.0.1');
    expect(loadConfig({ ...SECRETS, TRANSPORT_HOST: '0.0.0.0' }).transportHost).toBe('0.0.0.0');
  });

  it('subscribes without a share group when MQTT_SHARE_GROUP is none', () => {
    expect(loadConfig(SECRETS).mqttShareGroup).toBe('gridwatch');
    expect(loadConfig({ ...SECRETS, MQTT_SHARE_GROUP: 'none' }).mqttShareGroup).toBeNull();
    expect(problemsOf(() => loadConfig({ ...SECRETS, MQTT_SHARE_GROUP: 'a/b' }))).toHaveLength(1);
  });

  it('polls Modbus on loopback only by default and checks the allow-list is CIDR', () => {
    expect(loadConfig(SECRETS).modbusAllowedNetworks).toEqual(['127.0.0.0/8']);
    expect(
      loadConfig({
        ...SECRETS,
        MODBUS_ALLOWED_NETWORKS: '10.20.0.0/16, 192.0.2.7/32,2001:db8::/32',
      }).modbusAllowedNetworks,
    ).toEqual(['10.20.0.0/16', '192.0.2.7/32', '2001:db8::/32']);
    expect(() =>
      loadConfig({ ...SECRETS, MODBUS_ALLOWED_NETWORKS: '10.0.0.0/33,router.example' }),
    ).toThrow(
      expect.objectContaining({
        problems: [expect.stringContaining('10.0.0.0/33'), expect.stringContaining('router')],
      }),
    );
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['64 bytes', randomBytes(64).toString('base64')],
    ['text that is not base64', 'this is not base64 but it is long enough!!!'],
  ])('rejects an encryption key of %s', (_what, key) => {
    expect(problemsOf(() => loadConfig({ ...SECRETS, CREDENTIALS_ENCRYPTION_KEY: key }))).toEqual([
      expect.stringMatching(/^CREDENTIALS_ENCRYPTION_KEY must be 32 bytes encoded as base64/),
    ]);
  });

  it.each([
    ['JWT_SECRET', 'change-me-change-me-change-me-change-me'],
    ['JWT_SECRET', 'development-secret-for-gridwatch-only-0123'],
    ['JWT_SECRET', 'a'.repeat(48)],
    ['CREDENTIALS_ENCRYPTION_KEY', Buffer.alloc(32).toString('base64')],
    [
      'CREDENTIALS_ENCRYPTION_KEY',
      Buffer.from('example-key-example-key-example!').toString('base64'),
    ],
  ])('refuses a development or example %s whatever NODE_ENV says', (name, value) => {
    for (const nodeEnv of ['production', 'development', undefined]) {
      const problems = problemsOf(() =>
        loadConfig({ ...SECRETS, NODE_ENV: nodeEnv, [name]: value }),
      );
      expect(problems).toEqual([
        expect.stringMatching(`^${name} holds a development or example value`),
      ]);
    }
  });

  it('binds metrics and the transport port to loopback unless configured', () => {
    const config = loadConfig(SECRETS);
    expect(config).toMatchObject({
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
      metricsToken: null,
      transportHost: '127.0.0.1',
    });
    expect(problemsOf(() => loadConfig({ ...SECRETS, METRICS_TOKEN: 'short' }))).toEqual([
      expect.stringMatching(/^METRICS_TOKEN must be/),
    ]);
  });
});
