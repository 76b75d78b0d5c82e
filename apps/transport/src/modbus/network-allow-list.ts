import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostLookup = (host: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** A gateway the allow-list refuses: it is not polled at all. */
export class PollTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PollTargetRefused';
  }
}

/**
 * The networks Modbus gateways may be polled in (MODBUS_ALLOWED_NETWORKS). A host name is
 * resolved first and every address it resolves to must be allowed; the poller then connects to
 * the address that was checked, so a DNS answer that changes in between cannot redirect it.
 */
export class NetworkAllowList {
  private readonly list = new BlockList();

  constructor(readonly networks: readonly string[]) {
    for (const network of networks) {
      const [address, prefix] = network.split('/');
      this.list.addSubnet(address, Number(prefix), isIP(address) === 6 ? 'ipv6' : 'ipv4');
    }
  }

  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The address to connect to for `host`, or PollTargetRefused saying why not. */
  async resolve(host: string, lookupHost: HostLookup = systemLookup): Promise<string> {
    const addresses = isIP(host) ? [host] : await lookupHost(host);
    if (addresses.length === 0) throw new PollTargetRefused(`${host} did not resolve`);
    const refused = addresses.filter((address) => !this.allows(address));
    if (refused.length > 0) {
      throw new PollTargetRefused(
        `${host} (${refused.join(', ')}) is outside MODBUS_ALLOWED_NETWORKS (${this.networks.join(', ')})`,
      );
    }
    return addresses[0];
  }
}
