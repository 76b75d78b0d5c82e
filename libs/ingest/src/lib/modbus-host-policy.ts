import { modbusAddressRefusal, type HostRefusal, type IpAddress } from '@gridwatch/domain';
import { DomainException } from '@gridwatch/server';
import { OutboundHostPolicy } from './outbound-host-policy';

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
 * (checked before every connection) alike: every address must pass `modbusAddressRefusal`
 * (libs/domain) against MODBUS_ALLOWED_NETWORKS.
 */
export class ModbusHostPolicy extends OutboundHostPolicy {
  protected readonly setting = 'MODBUS_ALLOWED_NETWORKS';

  protected refusal(address: IpAddress): HostRefusal | null {
    return modbusAddressRefusal(address, this.allowed);
  }

  protected refuse(detail: string): ModbusHostNotAllowed {
    return new ModbusHostNotAllowed(detail);
  }
}
