import { Module } from '@nestjs/common';
import { BrokerAccounts } from './broker-accounts.service';

/** The broker accounts of MQTT devices and of the transport (Mosquitto dynamic security). */
@Module({
  providers: [BrokerAccounts],
  exports: [BrokerAccounts],
})
export class BrokerModule {}
