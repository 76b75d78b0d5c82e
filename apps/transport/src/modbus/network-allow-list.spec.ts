import { NetworkAllowList, PollTargetRefused } from './network-allow-list';

describe('NetworkAllowList', () => {
  const list = new NetworkAllowList(['127.0.0.0/8', '10.20.0.0/16', '2001:db8::/32']);

  it('allows addresses inside the configured networks only', () => {
    expect(list.allows('127.0.0.1')).toBe(true);
    expect(list.allows('10.20.255.1')).toBe(true);
    expect(list.allows('::ffff:10.20.0.9')).toBe(true);
    expect(list.allows('2001:db8::7')).toBe(true);
    expect(list.allows('10.21.0.1')).toBe(false);
    expect(list.allows('169.254.169.254')).toBe(false);
    expect(list.allows('::1')).toBe(false);
    expect(list.allows('not-an-ip')).toBe(false);
  });

  it('resolves a host name and refuses it when any of its addresses is outside', async () => {
    const lookup = async (host: string) =>
      host === 'router.site-7' ? ['10.20.0.7'] : ['10.20.0.8', '192.168.1.1'];
    await expect(list.resolve('router.site-7', lookup)).resolves.toBe('10.20.0.7');
    await expect(list.resolve('10.20.3.4', lookup)).resolves.toBe('10.20.3.4');
    await expect(list.resolve('split.example', lookup)).rejects.toThrow(PollTargetRefused);
    await expect(list.resolve('192.168.1.1', lookup)).rejects.toThrow(
      /outside MODBUS_ALLOWED_NETWORKS/,
    );
  });
});
