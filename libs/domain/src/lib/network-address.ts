/** An IP address as a number: 32 bits for IPv4, 128 for IPv6. */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

/** A CIDR network: `address/prefix`. */
export interface IpNetwork extends IpAddress {
  prefix: number;
}

/** Why an outbound host (Modbus gateway, webhook) is refused; null when it may be reached. */
export type HostRefusal =
  | 'invalid'
  | 'unspecified'
  | 'link_local'
  | 'multicast'
  | 'broadcast'
  | 'cloud_metadata'
  | 'loopback'
  | 'private'
  | 'not_allowed';

/** Names of cloud instance-metadata services, refused before any DNS lookup. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
  'metadata.platformequinix.com',
]);

const NUMBER_PART = /^(0x[0-9a-f]*|[0-9]+)$/i;

/**
 * An IPv4 address in any form an OS resolver or a URL parser takes as one — dotted decimal, but also
 * `2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376`, `169.254.43518` (WHATWG URL host rules) —
 * normalised to its value; `'invalid'` when it looks numeric but is no address (a part too large),
 * null when it is a name.
 */
export function parseIpv4(text: string): bigint | 'invalid' | null {
  const labels = text.split('.');
  if (labels.at(-1) === '' && labels.length > 1) labels.pop();
  if (!NUMBER_PART.test(labels.at(-1) ?? '')) return null;
  if (labels.length > 4 || !labels.every((label) => NUMBER_PART.test(label))) return 'invalid';
  const parts = labels.map(numberOf);
  const last = parts.pop() as bigint;
  if (parts.some((part) => part > 255n) || last >= 256n ** BigInt(4 - parts.length)) {
    return 'invalid';
  }
  return parts.reduce((sum, part, index) => sum + (part << BigInt(8 * (3 - index))), 0n) + last;
}

/** An IPv6 address (without zone id; brackets allowed), or null. */
export function parseIpv6(text: string): bigint | null {
  const address = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!address.includes(':') || address.includes('%')) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(piece) ? parseIpv4(piece) : 'invalid';
        if (typeof v4 !== 'bigint') return null;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(group), 0n);
}

/** An IP address literal in any accepted form, or null (a name, or nothing valid). */
export function parseIpAddress(text: string): IpAddress | null {
  const v6 = parseIpv6(text);
  if (v6 !== null) return { family: 6, value: v6 };
  const v4 = parseIpv4(text);
  return typeof v4 === 'bigint' ? { family: 4, value: v4 } : null;
}

/** The canonical text of an address: dotted decimal, or RFC 5952 IPv6. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address.value >> shift) & 255n)).join('.');
  }
  const groups = [...Array(8).keys()].map((index) =>
    Number((address.value >> BigInt(16 * (7 - index))) & 0xffffn),
  );
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** `address/prefix`, or null. */
export function parseNetwork(text: string): IpNetwork | null {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined || !/^\d{1,3}$/.test(prefixText ?? '')) return null;
  const parsed = parseIpAddress(address);
  const prefix = Number(prefixText);
  if (!parsed || prefix > (parsed.family === 4 ? 32 : 128)) return null;
  return { ...parsed, prefix };
}

export function networkContains(network: IpNetwork, address: IpAddress): boolean {
  const candidate = unmapped(address);
  if (network.family !== candidate.family) return false;
  const bits = BigInt(network.family === 4 ? 32 : 128);
  const shift = bits - BigInt(network.prefix);
  return candidate.value >> shift === network.value >> shift;
}

/** Whether a host name is a cloud instance-metadata service's (case-insensitive, trailing dot too). */
export function isCloudMetadataName(host: string): boolean {
  return METADATA_NAMES.has(host.toLowerCase().replace(/\.$/, ''));
}

/**
 * The rule for every address a Modbus poll may connect to (and the API checks on save):
 * unspecified, link-local (169.254.169.254 and friends), multicast, broadcast and cloud metadata
 * addresses are always refused; any other only inside one of `allowed` (MODBUS_ALLOWED_NETWORKS).
 */
export function modbusAddressRefusal(
  address: IpAddress,
  allowed: readonly IpNetwork[],
): HostRefusal | null {
  const candidate = unmapped(address);
  const always = refusalIn(ALWAYS_REFUSED, candidate);
  if (always) return always;
  return allowed.some((network) => networkContains(network, candidate)) ? null : 'not_allowed';
}

/**
 * The rule for every address a webhook may be sent to (checked on save and before each send):
 * what a Modbus host may never be is refused here too; loopback and private networks (RFC 1918,
 * carrier-grade NAT, unique local IPv6) only inside `allowed` (WEBHOOK_ALLOWED_NETWORKS); any
 * public address is allowed.
 */
export function webhookAddressRefusal(
  address: IpAddress,
  allowed: readonly IpNetwork[],
): HostRefusal | null {
  const candidate = unmapped(address);
  const always = refusalIn(ALWAYS_REFUSED, candidate);
  if (always) return always;
  if (allowed.some((network) => networkContains(network, candidate))) return null;
  return refusalIn(INTERNAL, candidate);
}

function refusalIn(
  list: ReadonlyArray<[IpNetwork, HostRefusal]>,
  address: IpAddress,
): HostRefusal | null {
  for (const [cidr, refusal] of list) {
    if (networkContains(cidr, address)) return refusal;
  }
  return null;
}

const ALWAYS_REFUSED: ReadonlyArray<[IpNetwork, HostRefusal]> = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['::/128', 'unspecified'],
    ['169.254.0.0/16', 'link_local'],
    ['fe80::/10', 'link_local'],
    ['224.0.0.0/4', 'multicast'],
    ['ff00::/8', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['100.100.100.200/32', 'cloud_metadata'], // Alibaba Cloud
    ['168.63.129.16/32', 'cloud_metadata'], // Azure wire server
    ['fd00:ec2::254/128', 'cloud_metadata'], // AWS IPv6
  ] as const
).map(([cidr, refusal]) => [parseNetwork(cidr) as IpNetwork, refusal]);

const INTERNAL: ReadonlyArray<[IpNetwork, HostRefusal]> = (
  [
    ['127.0.0.0/8', 'loopback'],
    ['::1/128', 'loopback'],
    ['10.0.0.0/8', 'private'],
    ['172.16.0.0/12', 'private'],
    ['192.168.0.0/16', 'private'],
    ['100.64.0.0/10', 'private'],
    ['fc00::/7', 'private'],
  ] as const
).map(([cidr, refusal]) => [parseNetwork(cidr) as IpNetwork, refusal]);

/** `::ffff:a.b.c.d` is the IPv4 address a.b.c.d. */
function unmapped(address: IpAddress): IpAddress {
  if (address.family === 6 && address.value >> 32n === 0xffffn) {
    return { family: 4, value: address.value & 0xffffffffn };
  }
  return address;
}

function numberOf(part: string): bigint {
  if (/^0x/i.test(part)) return part.length === 2 ? 0n : BigInt(part);
  if (part.length > 1 && part.startsWith('0')) {
    return /^[0-7]+$/.test(part) ? BigInt(`0o${part.slice(1)}`) : 256n ** 4n; // 08: invalid
  }
  return BigInt(part);
}

/** How a host is stored: an address literal in its canonical text (`0x7f000001` -> 127.0.0.1). */
export function canonicalHost(host: string): string {
  const trimmed = host.trim();
  const literal = parseIpAddress(trimmed);
  return literal ? formatIpAddress(literal) : trimmed.toLowerCase().replace(/\.$/, '');
}
