import type { LiveReading, RoomRef } from '@gridwatch/contracts';

/** What one room receives at the end of its window. */
export interface CoalescedReadings {
  organizationId: string;
  room: RoomRef;
  /** The room's socket.io name. */
  name: string;
  readings: LiveReading[];
}

interface PendingRoom {
  organizationId: string;
  room: RoomRef;
  latest: Map<string, { reading: LiveReading; t: number }>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Collects readings per room for a short window opened by the room's first reading, then hands
 * over the latest one per (meter, parameter) by reading time. A dashboard redraws once per
 * window instead of once per reading, however large the burst.
 */
export class ReadingCoalescer {
  private readonly pending = new Map<string, PendingRoom>();
  private closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly flush: (batch: CoalescedReadings) => void,
  ) {}

  add(
    organizationId: string,
    room: RoomRef,
    name: string,
    readings: ReadonlyArray<{ reading: LiveReading; t: number }>,
  ): void {
    if (readings.length === 0 || this.closed) return;
    let entry = this.pending.get(name);
    if (!entry) {
      const timer = setTimeout(() => this.flushRoom(name), this.windowMs);
      timer.unref();
      entry = { organizationId, room, latest: new Map(), timer };
      this.pending.set(name, entry);
    }
    for (const item of readings) {
      const key = `${item.reading.meterId}|${item.reading.parameter}`;
      const seen = entry.latest.get(key);
      // On a tie the first stays: storage keeps the first value of an instant, too.
      if (!seen || seen.t < item.t) entry.latest.set(key, item);
    }
  }

  /** Hands over every open window now and takes nothing more (shutdown). */
  close(): void {
    this.closed = true;
    for (const name of [...this.pending.keys()]) this.flushRoom(name);
  }

  private flushRoom(name: string): void {
    const entry = this.pending.get(name);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(name);
    this.flush({
      organizationId: entry.organizationId,
      room: entry.room,
      name,
      readings: [...entry.latest.values()].map((item) => item.reading),
    });
  }
}
