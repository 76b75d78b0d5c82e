import { lookup } from 'node:dns/promises';
import {
  formatIpAddress,
  isCloudMetadataName,
  modbusAddressRefusal,
  parseIpAddress,
  parseIpv4,
  parseNetwork,
  type IpNetwork,
} from '@gridwatch/domain';
import { DomainException } from '@gridwatch/server';

/** Resolves a host name to all its addresses (injectable for tests). */
export type HostLookup = (host: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * A Modbus host GridWatch will not poll. The message is for tenants and names nothing internal;
 * `detail` (the addresses, the rule) is for the operator's logs only.
 */
export class ModbusHostNotAllowed extends DomainException {
  constructor(readonly detail: string) {
    super(
      'modbus_host_not_allowed',
      'This host cannot be polled: give the address or name of the gateway in a network GridWatch may poll',
    );
  }
}

/**
 * Which Modbus hosts may be polled, for the API (checked when a gateway is saved) and the poller
 * (checked before every connection) alike: a name is resolved first and every address it
 * resolves to must pass `modbusAddressRefusal` (libs/domain) against MODBUS_ALLOWED_NETWORKS;
 * numeric forms (`0xa9fea9fe`, `2852039166`) are read as the address they are; cloud metadata
 * names are refused without a lookup. `resolve` answers the checked address to connect to, so a
 * DNS answer that changes in between cannot redirect the poller.
 */
export class ModbusHostPolicy {
  private readonly allowed: IpNetwork[];

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

  /** The address to connect to for `host`, or ModbusHostNotAllowed. */
  async resolve(host: string): Promise<string> {
    const name = host.trim();
    if (name === '' || isCloudMetadataName(name)) {
      throw new ModbusHostNotAllowed(`${host}: a cloud metadata name`);
    }
    if (parseIpv4(name) === 'invalid') throw new ModbusHostNotAllowed(`${host}: not an address`);
    const literal = parseIpAddress(name);
    const addresses = literal ? [formatIpAddress(literal)] : await this.lookup(name);
    for (const address of addresses) {
      const parsed = parseIpAddress(address);
      const refusal = parsed ? modbusAddressRefusal(parsed, this.allowed) : 'invalid';
      if (refusal) {
        throw new ModbusHostNotAllowed(
          `${host} (${address}): ${refusal}${refusal === 'not_allowed' ? ` (MODBUS_ALLOWED_NETWORKS ${this.networks.join(', ')})` : ''}`,
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
      throw new ModbusHostNotAllowed(`${name} did not resolve: ${(error as Error).message}`);
    }
    if (addresses.length === 0) throw new ModbusHostNotAllowed(`${name} did not resolve`);
    return addresses;
  }
}
