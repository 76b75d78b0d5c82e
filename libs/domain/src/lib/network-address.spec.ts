import {
  formatIpAddress,
  isCloudMetadataName,
  modbusAddressRefusal,
  parseIpAddress,
  parseIpv4,
  parseNetwork,
  webhookAddressRefusal,
  type IpAddress,
  type IpNetwork,
} from './network-address';

const text = (host: string) => {
  const address = parseIpAddress(host);
  return address && formatIpAddress(address);
};
const allowed = ['10.20.0.0/16', '127.0.0.0/8', '2001:db8::/32'].map(
  (cidr) => parseNetwork(cidr) as IpNetwork,
);
const refusal = (host: string) => {
  const address = parseIpAddress(host);
  return address ? modbusAddressRefusal(address, allowed) : 'invalid';
};

describe('parseIpAddress', () => {
  it.each([
    ['169.254.169.254', '169.254.169.254'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['169.254.43518', '169.254.169.254'],
    ['0xA9.0xFE.0xA9.0xFE', '169.254.169.254'],
    ['127.1', '127.0.0.1'],
    ['10.0.0.1.', '10.0.0.1'],
    ['::1', '::1'],
    ['[2001:db8::7]', '2001:db8::7'],
    ['::ffff:169.254.169.254', '::ffff:a9fe:a9fe'],
    ['2001:DB8:0:0:0:0:0:7', '2001:db8::7'],
  ])('reads %s as %s', (host, canonical) => {
    expect(text(host)).toBe(canonical);
  });

  it.each(['router.site-7', 'localhost', 'metadata.google.internal', 'fe80::1%eth0', '1::2::3'])(
    'is null for %s, which is a name or no address',
    (host) => {
      expect(parseIpAddress(host)).toBeNull();
    },
  );

  it('tells numeric forms that are no address from names', () => {
    expect(parseIpv4('256.1.1.1')).toBe('invalid');
    expect(parseIpv4('1.2.3.4.5')).toBe('invalid');
    expect(parseIpv4('4294967296')).toBe('invalid');
    expect(parseIpv4('08.1.1.1')).toBe('invalid');
    expect(parseIpv4('router.7')).toBe('invalid');
    expect(parseIpv4('router.example')).toBeNull();
  });
});

describe('modbusAddressRefusal', () => {
  it.each([
    ['169.254.169.254', 'link_local'],
    ['0xa9fea9fe', 'link_local'],
    ['2852039166', 'link_local'],
    ['0251.0376.0251.0376', 'link_local'],
    ['::ffff:169.254.169.254', 'link_local'],
    ['fe80::1', 'link_local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['100.100.100.200', 'cloud_metadata'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['10.0.0.1', 'not_allowed'],
    ['192.168.1.1', 'not_allowed'],
    ['::1', 'not_allowed'],
  ])('refuses %s (%s)', (host, reason) => {
    expect(refusal(host)).toBe(reason);
  });

  it('allows addresses inside the allowed networks, mapped IPv4 included', () => {
    expect(refusal('10.20.3.4')).toBeNull();
    expect(refusal('127.0.0.1')).toBeNull();
    expect(refusal('::ffff:10.20.0.9')).toBeNull();
    expect(refusal('2001:db8::7')).toBeNull();
  });

  it('refuses link-local even when an allowed network covers it', () => {
    const everything = [parseNetwork('0.0.0.0/0') as IpNetwork];
    const metadata = parseIpAddress('169.254.169.254');
    if (!metadata) throw new Error('169.254.169.254 did not parse');
    expect(modbusAddressRefusal(metadata, everything)).toBe('link_local');
  });
});

describe('isCloudMetadataName', () => {
  it('knows the metadata services by name, in any case and with a trailing dot', () => {
    expect(isCloudMetadataName('metadata.google.internal')).toBe(true);
    expect(isCloudMetadataName('METADATA.google.internal.')).toBe(true);
    expect(isCloudMetadataName('router.site-7')).toBe(false);
  });
});

describe('webhookAddressRefusal', () => {
  const allowLoopback = [parseNetwork('127.0.0.0/8') as IpNetwork];
  const refusal = (text: string, allowed: IpNetwork[] = []) =>
    webhookAddressRefusal(parseIpAddress(text) as IpAddress, allowed);

  it('allows public addresses and refuses metadata, link-local, loopback and private ones', () => {
    expect(refusal('93.184.216.34')).toBeNull();
    expect(refusal('2606:2800:220:1::1')).toBeNull();
    expect(refusal('169.254.169.254')).toBe('link_local');
    expect(refusal('168.63.129.16')).toBe('cloud_metadata');
    expect(refusal('127.0.0.1')).toBe('loopback');
    expect(refusal('::1')).toBe('loopback');
    expect(refusal('10.0.0.5')).toBe('private');
    expect(refusal('172.20.1.1')).toBe('private');
    expect(refusal('192.168.1.1')).toBe('private');
    expect(refusal('::ffff:192.168.1.1')).toBe('private');
    expect(refusal('fd12::1')).toBe('private');
  });

  it('WEBHOOK_ALLOWED_NETWORKS lets loopback or private networks through, never link-local', () => {
    expect(refusal('127.0.0.1', allowLoopback)).toBeNull();
    expect(refusal('10.0.0.5', allowLoopback)).toBe('private');
    expect(refusal('169.254.169.254', [parseNetwork('169.254.0.0/16') as IpNetwork])).toBe(
      'link_local',
    );
  });
});
