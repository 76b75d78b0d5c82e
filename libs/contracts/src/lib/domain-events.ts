import type { GatewayStatus, MeterStatus } from './devices';
import type { QueuedReading } from './ingest';
import type { ReadingSource } from './readings';

/**
 * In-process domain events of the API: emitted after the work that caused them committed, so a
 * consumer never runs inside the store transaction and never fails the work.
 */
export const DomainEvent = {
  /** An ingest job stored new readings (repeats of stored readings are not in it). */
  ReadingsStored: 'readings.stored',
  /** A meter's or gateway's status flipped (liveness, the sweeper, or a user). */
  StatusChanged: 'status.changed',
} as const;
export type DomainEvent = (typeof DomainEvent)[keyof typeof DomainEvent];

export interface StoredMeter {
  meterId: string;
  /** Epoch milliseconds of the meter's newest reading in this event. */
  newestTs: number;
}

export interface ReadingsStoredEvent {
  batchId: string;
  organizationId: string;
  gatewayId: string | null;
  source: ReadingSource;
  /** Meters that got new readings, each with its newest reading time. */
  meters: StoredMeter[];
  /** Only the readings this job inserted, in canonical units, with their stored quality. */
  readings: QueuedReading[];
}

export type StatusChangedEvent =
  StatusChange<'meter', MeterStatus> | StatusChange<'gateway', GatewayStatus>;

interface StatusChange<S extends 'meter' | 'gateway', T extends string> {
  subject: S;
  organizationId: string;
  id: string;
  from: T;
  to: T;
  reason: string | null;
  /** RFC 3339. */
  at: string;
}

export interface DomainEventPayloads {
  [DomainEvent.ReadingsStored]: ReadingsStoredEvent;
  [DomainEvent.StatusChanged]: StatusChangedEvent;
}
