import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvent } from '@gridwatch/contracts';
import { DomainEvents } from '../domain-events/domain-events';
import { AlertEvaluator } from './alert-evaluator';
import { AlertsSweeper } from './alerts.sweeper';

/** Stored readings are judged against the rules; a meter's status flip is judged at once. */
@Injectable()
export class AlertsListener implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly evaluator: AlertEvaluator,
    private readonly sweeper: AlertsSweeper,
  ) {}

  onModuleInit(): void {
    this.events.on(DomainEvent.ReadingsStored, (event) => this.evaluator.readingsStored(event));
    this.events.on(DomainEvent.StatusChanged, (event) =>
      event.subject === 'meter' ? this.sweeper.meterStatusChanged(event) : undefined,
    );
  }
}
