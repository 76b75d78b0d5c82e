import type { LiveReading, RoomRef } from '@gridwatch/contracts';

/** What one room receives: at once, or at the end of its window. */
export interface CoalescedReadings {
  organizationId: string;
  room: RoomRef;
  /** The room's socket.io name. */
  name: string;
  readings: LiveReading[];
}

interface HotRoom {
  organizationId: string;
  room: RoomRef;
  /** Readings that arrived since the room's last event, the latest per (meter, parameter). */
  latest: Map<string, { reading: LiveReading; t: number }>;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Throttles live readings per room, leading edge first: a room that sent nothing during the last
 * window gets its readings at once (a dashboard sees a reading as soon as it is stored), and the
 * room then stays "hot" for the window: what arrives meanwhile is collected and handed over at
 * its end, the latest reading per (meter, parameter) by reading time, which opens the next
 * window. A room gets at most one event per window however large the burst, and none waits
 * longer than a window.
 */
export class ReadingCoalescer {
  private readonly hot = new Map<string, HotRoom>();
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
    const entry = this.hot.get(name);
    if (entry) {
      collect(entry.latest, readings);
      return;
    }
    const latest = new Map<string, { reading: LiveReading; t: number }>();
    collect(latest, readings);
    this.hand(organizationId, room, name, latest);
    const timer = setTimeout(() => this.endWindow(name), this.windowMs);
    timer.unref();
    this.hot.set(name, { organizationId, room, latest: new Map(), timer });
  }

  /** Hands over what every hot room collected now and takes nothing more (shutdown). */
  close(): void {
    this.closed = true;
    for (const [name, entry] of this.hot) {
      clearTimeout(entry.timer);
      if (entry.latest.size > 0) this.hand(entry.organizationId, entry.room, name, entry.latest);
    }
    this.hot.clear();
  }

  private endWindow(name: string): void {
    const entry = this.hot.get(name);
    if (!entry) return;
    if (entry.latest.size === 0) {
      this.hot.delete(name); // quiet for a whole window: the next reading goes out at once
      return;
    }
    this.hand(entry.organizationId, entry.room, name, entry.latest);
    entry.latest = new Map();
    entry.timer = setTimeout(() => this.endWindow(name), this.windowMs);
    entry.timer.unref();
  }

  private hand(
    organizationId: string,
    room: RoomRef,
    name: string,
    latest: Map<string, { reading: LiveReading; t: number }>,
  ): void {
    this.flush({
      organizationId,
      room,
      name,
      readings: [...latest.values()].map((item) => item.reading),
    });
  }
}

function collect(
  latest: Map<string, { reading: LiveReading; t: number }>,
  readings: ReadonlyArray<{ reading: LiveReading; t: number }>,
): void {
  for (const item of readings) {
    const key = `${item.reading.meterId}|${item.reading.parameter}`;
    const seen = latest.get(key);
    // On a tie the first stays: storage keeps the first value of an instant, too.
    if (!seen || seen.t < item.t) latest.set(key, item);
  }
}
