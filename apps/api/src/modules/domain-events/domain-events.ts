import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent, DomainEventPayloads } from '@gridwatch/contracts';

export type DomainEventHandler<E extends DomainEvent> = (
  payload: DomainEventPayloads[E],
) => void | Promise<void>;

/**
 * The in-process bus that side effects hang off: listeners subscribe in onModuleInit, producers
 * emit after their work committed. `emit` awaits every handler; a handler's failure is logged
 * and isolated, so one consumer can neither fail the work that emitted nor starve another.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers = new Map<DomainEvent, Array<DomainEventHandler<DomainEvent>>>();

  /** Subscribes `handler`; returns a function that unsubscribes it. */
  on<E extends DomainEvent>(event: E, handler: DomainEventHandler<E>): () => void {
    const list = this.handlers.get(event) ?? [];
    // Stored under its event name, so it is only ever called with that event's payload.
    list.push(handler as DomainEventHandler<DomainEvent>);
    this.handlers.set(event, list);
    return () => {
      const current = this.handlers.get(event) ?? [];
      this.handlers.set(
        event,
        current.filter((h) => h !== handler),
      );
    };
  }

  /** Runs every handler of `event` concurrently and resolves once all settled; never rejects. */
  async emit<E extends DomainEvent>(event: E, payload: DomainEventPayloads[E]): Promise<void> {
    const handlers = this.handlers.get(event) ?? [];
    const outcomes = await Promise.allSettled(handlers.map(async (handler) => handler(payload)));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        const reason = outcome.reason as Error;
        this.logger.error(`a ${event} listener failed: ${reason?.message ?? String(reason)}`);
      }
    }
  }
}
