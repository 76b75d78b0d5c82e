import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventEntity, EventRecorder } from '@gridwatch/server';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

/** Lists the audit trail; provides the one writer, `EventRecorder`, to every module. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([EventEntity])],
  controllers: [EventsController],
  providers: [EventsService, EventRecorder],
  exports: [EventRecorder],
})
export class EventsModule {}
