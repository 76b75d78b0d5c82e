import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from '@gridwatch/contracts';
import { DomainEvents } from '../domain-events/domain-events';
import { LivenessService } from './liveness.service';

/** Traffic is a sign of life: meters that sent new readings, and their gateway, are online. */
@Injectable()
export class LivenessListener implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly liveness: LivenessService,
  ) {}

  onModuleInit(): void {
    this.events.on(DomainEvent.ReadingsStored, (event) =>
      this.liveness.seen(
        event.meters.map((meter) => meter.meterId),
        event.gatewayId,
      ),
    );
  }
}
