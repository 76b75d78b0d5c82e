import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeviceCredentialEntity, GatewayEntity, MeterEntity, SiteEntity } from '@gridwatch/server';
import { BrokerModule } from '../broker/broker.module';
import { DeviceCredentialsController } from './device-credentials.controller';
import { DeviceCredentialsService } from './device-credentials.service';
import { GatewaysController } from './gateways.controller';
import { GatewaysService } from './gateways.service';
import { MetersController } from './meters.controller';
import { MetersService } from './meters.service';
import { SitesController } from './sites.controller';
import { SitesService } from './sites.service';

/** Sites, gateways, meters and their credentials; exports credential resolution for device auth. */
@Module({
  imports: [
    TypeOrmModule.forFeature([SiteEntity, GatewayEntity, MeterEntity, DeviceCredentialEntity]),
    BrokerModule,
  ],
  controllers: [SitesController, GatewaysController, MetersController, DeviceCredentialsController],
  providers: [SitesService, GatewaysService, MetersService, DeviceCredentialsService],
  exports: [DeviceCredentialsService, SitesService],
})
export class DevicesModule {}
