import { lookup } from 'node:dns/promises';
import {
  formatIpAddress,
  isCloudMetadataName,
  parseIpAddress,
  parseIpv4,
  parseNetwork,
  type HostRefusal,
  type IpAddress,
  type IpNetwork,
} from '@gridwatch/domain';
import type { DomainException } from '@gridwatch/server';

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostLookup = (host: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Which hosts GridWatch may connect out to (Modbus gateways, webhooks): a name is resolved first
 * and every address it resolves to must pass the subclass's address rule (libs/domain) against
 * its allowed networks; numeric forms (`0xa9fea9fe`, `2852039166`) are read as the address they
 * are; cloud metadata names are refused without a lookup. `resolve` answers the checked address
 * to connect to, so a DNS answer that changes in between cannot redirect the connection.
 */
export abstract class OutboundHostPolicy {
  protected readonly allowed: IpNetwork[];

  constructor(
    readonly networks: readonly string[],
    private readonly lookupHost: HostLookup = systemLookup,
  ) {
    this.allowed = networks.map((network) => {
      const parsed = parseNetwork(network);
      if (!parsed) throw new Error(`not a CIDR network: ${network}`);
      return parsed;
    });
  }

  /** Why `address` is refused, or null. */
  protected abstract refusal(address: IpAddress): HostRefusal | null;

  /** The exception a refused host becomes; `detail` is for the operator's logs only. */
  protected abstract refuse(detail: string): DomainException;

  /** The setting that lists the allowed networks, named in log details. */
  protected abstract readonly setting: string;

  /** The address to connect to for `host`, or the subclass's refusal. */
  async resolve(host: string): Promise<string> {
    const name = host.trim();
    if (name === '' || isCloudMetadataName(name)) {
      throw this.refuse(`${host}: a cloud metadata name`);
    }
    if (parseIpv4(name) === 'invalid') throw this.refuse(`${host}: not an address`);
    const literal = parseIpAddress(name);
    const addresses = literal ? [formatIpAddress(literal)] : await this.lookup(name);
    for (const address of addresses) {
      const parsed = parseIpAddress(address);
      const refusal = parsed ? this.refusal(parsed) : 'invalid';
      if (refusal) {
        throw this.refuse(
          `${host} (${address}): ${refusal}${refusal === 'not_allowed' ? ` (${this.setting} ${this.networks.join(', ')})` : ''}`,
        );
      }
    }
    return addresses[0];
  }

  private async lookup(name: string): Promise<string[]> {
    let addresses: string[];
    try {
      addresses = await this.lookupHost(name);
    } catch (error) {
      throw this.refuse(`${name} did not resolve: ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw this.refuse(`${name} did not resolve`);
    return addresses;
  }
}
