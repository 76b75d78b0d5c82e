import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs locally with no environment at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/gridwatch');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.credentialsKey).toHaveLength(32);
    expect(config.signupEnabled).toBe(false);
  });

  it('names every bad variable in one error', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SIGNUP_ENABLED: 'maybe' }),
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

  it('requires real secrets in production', () => {
    try {
      loadConfig({ NODE_ENV: 'production' });
      fail('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('JWT_SECRET is required in production');
      expect(problems).toContain('CREDENTIALS_ENCRYPTION_KEY is required in production');
    }
  });

  it('polls Modbus on loopback only by default and checks the allow-list is CIDR', () => {
    expect(loadConfig({}).modbusAllowedNetworks).toEqual(['127.0.0.0/8']);
    expect(
      loadConfig({ MODBUS_ALLOWED_NETWORKS: '10.20.0.0/16, 192.0.2.7/32,2001:db8::/32' })
        .modbusAllowedNetworks,
    ).toEqual(['10.20.0.0/16', '192.0.2.7/32', '2001:db8::/32']);
    expect(() => loadConfig({ MODBUS_ALLOWED_NETWORKS: '10.0.0.0/33,router.example' })).toThrow(
      expect.objectContaining({
        problems: [expect.stringContaining('10.0.0.0/33'), expect.stringContaining('router')],
      }),
    );
  });

  it('rejects an encryption key that is not 32 bytes', () => {
    expect(() =>
      loadConfig({
        CREDENTIALS_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64').padEnd(44, 'A'),
      }),
    ).toThrow(/CREDENTIALS_ENCRYPTION_KEY must be 32 bytes/);
  });
});
