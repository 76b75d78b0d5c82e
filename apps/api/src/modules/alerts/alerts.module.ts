import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertRulesCache } from './alert-rules.cache';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesService } from './alert-rules.service';

/** Alert rules, their evaluation in the pipeline and by the sweep, and the alert lifecycle. */
@Module({
  imports: [NotificationsModule],
  controllers: [AlertRulesController],
  providers: [AlertRulesService, AlertRulesCache],
})
export class AlertsModule {}
