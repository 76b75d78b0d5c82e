import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from '@gridwatch/contracts';
import { RealtimeBridgePublisher } from '@gridwatch/server';
import { DomainEvents } from '../domain-events/domain-events';
import { RealtimePublisher } from './realtime.publisher';

/**
 * Pushes status flips to the sockets of their rooms, and hands stored readings to the API
 * instances over the realtime readings channel: the process that stored them (a queue worker)
 * does no room fan-out, and an instance without a socket of the organization does no work.
 */
@Injectable()
export class RealtimeListener implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly publisher: RealtimePublisher,
    private readonly bridge: RealtimeBridgePublisher,
  ) {}

  onModuleInit(): void {
    this.events.on(DomainEvent.ReadingsStored, (event) =>
      this.bridge.readingsStored(event.organizationId, event.readings),
    );
    this.events.on(DomainEvent.StatusChanged, (event) =>
      this.publisher.statusChanged(event.subject, event),
    );
  }
}
