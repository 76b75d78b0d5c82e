import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import type { BreakerState } from './circuit-breaker';
import { ModbusPollerService, type GatewayScheduleView } from './modbus-poller.service';

/** GET /health/modbus: the poll schedule and each gateway's breaker, for operators. */
@Controller('health/modbus')
export class ModbusHealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly poller: ModbusPollerService,
  ) {}

  @Get()
  check(): {
    enabled: boolean;
    running: number;
    queued: number;
    /** Polled readings waiting in the retry buffer for the ingest queue. */
    readingsBuffered: number;
    breakers: Record<BreakerState, number>;
    gateways: GatewayScheduleView[];
  } {
    const gateways = this.poller.views();
    const breakers = { closed: 0, half_open: 0, open: 0 };
    for (const gateway of gateways) breakers[gateway.breaker] += 1;
    return {
      enabled: this.config.modbusPollerEnabled,
      running: this.poller.pollsRunning,
      queued: this.poller.pollsQueued,
      readingsBuffered: this.poller.readingsBuffered,
      breakers,
      gateways,
    };
  }
}
