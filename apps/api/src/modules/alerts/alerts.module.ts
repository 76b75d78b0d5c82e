import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertAnnouncer } from './alert-announcer';
import { AlertClock } from './alert-clock';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRulesCache } from './alert-rules.cache';
import { AlertRulesController } from './alert-rules.controller';
import { AlertRulesService } from './alert-rules.service';
import { AlertsController } from './alerts.controller';
import { AlertsListener } from './alerts.listener';
import { AlertsQueryRepository } from './alerts-query.repository';
import { AlertsService } from './alerts.service';
import { AlertsRepository } from './alerts.repository';
import { AlertsSweeper } from './alerts.sweeper';

/** Alert rules, their evaluation in the pipeline and by the sweep, and the alert lifecycle. */
@Module({
  imports: [NotificationsModule],
  controllers: [AlertRulesController, AlertsController],
  providers: [
    AlertRulesService,
    AlertRulesCache,
    AlertsRepository,
    AlertEvaluator,
    AlertAnnouncer,
    AlertClock,
    AlertsSweeper,
    AlertsListener,
    AlertsService,
    AlertsQueryRepository,
  ],
  exports: [AlertsService],
})
export class AlertsModule {}
