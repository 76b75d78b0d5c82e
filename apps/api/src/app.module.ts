import { Module } from '@nestjs/common';
import {
  ConfigModule,
  DatabaseModule,
  LifecycleModule,
  LoggingModule,
  MetricsModule,
  RedisModule,
} from '@gridwatch/server';
import { AlertsModule } from './modules/alerts/alerts.module';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { AuthModule } from './modules/auth/auth.module';
import { DataQualityModule } from './modules/data-quality/data-quality.module';
import { DevicesModule } from './modules/devices/devices.module';
import { DomainEventsModule } from './modules/domain-events/domain-events.module';
import { EventsModule } from './modules/events/events.module';
import { HealthModule } from './modules/health/health.module';
import { IngestModule } from './modules/ingest/ingest.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { ReadingsModule } from './modules/readings/readings.module';
import { ReportsModule } from './modules/reports/reports.module';
import { RealtimeModule } from './modules/realtime/realtime.module';
import { TicketsModule } from './modules/tickets/tickets.module';
import { UsersModule } from './modules/users/users.module';

@Module({
  imports: [
    ConfigModule,
    LifecycleModule,
    LoggingModule,
    MetricsModule.forRoot('global'),
    DatabaseModule,
    RedisModule,
    DomainEventsModule,
    EventsModule,
    RealtimeModule,
    AuthModule,
    UsersModule,
    DevicesModule,
    HealthModule,
    ReadingsModule,
    IngestModule,
    DataQualityModule,
    AlertsModule,
    NotificationsModule,
    TicketsModule,
    AnalyticsModule,
    ReportsModule,
  ],
})
export class AppModule {}
