import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SiteTariffEntity } from '@gridwatch/server';
import { DevicesModule } from '../devices/devices.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { CostService } from './cost.service';
import { EnergySeries } from './energy-series';
import { ProfileService } from './profile.service';
import { TariffsController } from './tariffs.controller';
import { TariffsService } from './tariffs.service';

/** Energy analytics: tariffs, consumption and cost by local calendar period. */
@Module({
  imports: [DevicesModule, TypeOrmModule.forFeature([SiteTariffEntity])],
  controllers: [TariffsController, AnalyticsController],
  providers: [
    TariffsService,
    AnalyticsService,
    AnalyticsRepository,
    EnergySeries,
    CostService,
    ProfileService,
  ],
  exports: [TariffsService, AnalyticsService, CostService, ProfileService],
})
export class AnalyticsModule {}
