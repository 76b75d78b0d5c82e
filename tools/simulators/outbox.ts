/**
 * Unsent requests of one gateway, oldest first, as a gateway buffers while its uplink is down.
 * Bounded: when full the oldest entry gives way, and every one given up is counted in `dropped`
 * so the simulator can report it; nothing leaves silently.
 */
export class Outbox<T> {
  private readonly entries: T[] = [];
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('outbox capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.length;
  }

  /** Adds `entry` last; returns the entry it pushed out when full, if any. */
  push(entry: T): T | undefined {
    this.entries.push(entry);
    if (this.entries.length <= this.capacity) return undefined;
    this.dropped += 1;
    return this.entries.shift();
  }

  peek(): T | undefined {
    return this.entries[0];
  }

  /** Removes the oldest entry, once it was delivered or refused for good. */
  shift(): T | undefined {
    return this.entries.shift();
  }
}
