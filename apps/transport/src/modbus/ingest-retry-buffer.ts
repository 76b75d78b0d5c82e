/** A polled batch waiting to be enqueued. */
export interface BufferedBatch {
  gatewayId: string;
  readings: number;
  /** Hands the batch to the ingest pipeline; throws when it cannot be enqueued. */
  enqueue(): Promise<void>;
}

export interface IngestRetryOptions {
  /** Most readings held at once, over all gateways; the oldest batches go first past it. */
  maxReadings: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Whether a failure is worth a retry (an outage); any other failure drops the batch. */
  isTransient(error: unknown): boolean;
  /** Readings given up: over the bound, or refused for good while retried. */
  onDropped(readings: number, why: 'overflow' | 'refused'): void;
  /** Readings held now. */
  onHeld(readings: number): void;
}

/**
 * Polled readings the ingest queue could not take (Redis or the database down) wait here instead
 * of being lost, and are retried in order, oldest first, with a backoff doubling from
 * `firstDelayMs` to `maxDelayMs` while the outage lasts. Bounded in readings, so an outage costs
 * memory it can afford: past the bound the oldest batches are dropped, and counted. Retrying a
 * batch is safe: the processor is idempotent on (meter, parameter, ts).
 */
export class IngestRetryBuffer {
  private readonly held: BufferedBatch[] = [];
  private heldReadings = 0;
  private delayMs: number;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;

  constructor(private readonly options: IngestRetryOptions) {
    this.delayMs = options.firstDelayMs;
  }

  get readings(): number {
    return this.heldReadings;
  }

  /** Enqueues the batch now, or holds it for a retry when an outage stops it (or others wait). */
  async submit(batch: BufferedBatch): Promise<void> {
    if (this.held.length === 0) {
      try {
        await batch.enqueue();
        return;
      } catch (error) {
        if (!this.options.isTransient(error)) throw error;
      }
    }
    this.hold(batch);
  }

  /** Retries the held batches in order until one fails; then waits the backoff for the next try. */
  flush(): Promise<void> {
    this.flushing ??= this.retry().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private hold(batch: BufferedBatch): void {
    this.held.push(batch);
    this.heldReadings += batch.readings;
    while (this.heldReadings > this.options.maxReadings && this.held.length > 0) {
      const oldest = this.held.shift() as BufferedBatch;
      this.heldReadings -= oldest.readings;
      this.options.onDropped(oldest.readings, 'overflow');
    }
    this.options.onHeld(this.heldReadings);
    this.scheduleRetry();
  }

  private async retry(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.held.length > 0) {
      const batch = this.held[0];
      try {
        await batch.enqueue();
      } catch (error) {
        if (this.options.isTransient(error)) {
          this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs);
          this.scheduleRetry();
          return;
        }
        this.options.onDropped(batch.readings, 'refused');
      }
      this.release(batch);
    }
    this.delayMs = this.options.firstDelayMs;
  }

  private release(batch: BufferedBatch): void {
    const index = this.held.indexOf(batch);
    if (index >= 0) {
      this.held.splice(index, 1);
      this.heldReadings -= batch.readings;
    }
    this.options.onHeld(this.heldReadings);
  }

  private scheduleRetry(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref();
  }
}
