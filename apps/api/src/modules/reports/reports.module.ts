import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportSubscriptionEntity } from '@gridwatch/server';
import { AlertsModule } from '../alerts/alerts.module';
import { AnalyticsModule } from '../analytics/analytics.module';
import { DevicesModule } from '../devices/devices.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReportDeliveryProcessor } from './report-delivery.processor';
import { ReportSubscriptionsService } from './report-subscriptions.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Site reports (JSON, CSV, PDF) and their e-mailed schedule. */
@Module({
  imports: [
    AlertsModule,
    AnalyticsModule,
    DevicesModule,
    NotificationsModule,
    TypeOrmModule.forFeature([ReportSubscriptionEntity]),
  ],
  controllers: [ReportsController],
  providers: [ReportsService, ReportSubscriptionsService, ReportDeliveryProcessor],
})
export class ReportsModule {}
