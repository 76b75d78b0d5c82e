import { Module } from '@nestjs/common';
import { DataQualityModule } from '@gridwatch/server';
import { IngestModule } from '@gridwatch/ingest';
import { CommunicationIssuesRepository } from './communication-issues.repository';
import { ModbusGatewaysRepository } from './modbus-gateways.repository';
import { ModbusHealthController } from './modbus-health.controller';
import { ModbusPollerService } from './modbus-poller.service';
import { ModbusMetrics } from './modbus.metrics';

/** The Modbus TCP poller: reads meters through gateways and feeds the ingest pipeline. */
@Module({
  imports: [IngestModule, DataQualityModule],
  controllers: [ModbusHealthController],
  providers: [
    ModbusGatewaysRepository,
    CommunicationIssuesRepository,
    ModbusMetrics,
    ModbusPollerService,
  ],
  exports: [ModbusPollerService],
})
export class ModbusModule {}
