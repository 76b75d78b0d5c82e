import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from '@gridwatch/contracts';
import { DomainEvents } from '../domain-events/domain-events';
import { RealtimePublisher } from './realtime.publisher';

/** Pushes stored readings and status flips to the sockets of their rooms. */
@Injectable()
export class RealtimeListener implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly publisher: RealtimePublisher,
  ) {}

  onModuleInit(): void {
    this.events.on(DomainEvent.ReadingsStored, (event) => this.publisher.readingsStored(event));
    this.events.on(DomainEvent.StatusChanged, (event) =>
      this.publisher.statusChanged(event.subject, event),
    );
  }
}
