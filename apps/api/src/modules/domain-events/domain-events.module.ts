import { Global, Module } from '@nestjs/common';
import { DomainEvents } from './domain-events';

/** Global: any module emits or listens without importing the others. */
@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class DomainEventsModule {}
