import type { Logger } from '@nestjs/common';

/**
 * Runs `work` every `intervalMs`, never two runs at once, and stops cleanly: `stop()` clears the
 * timer and resolves once the run in flight has finished. Schedulers stop in `onModuleDestroy`,
 * which Nest runs before any `onApplicationShutdown` (where the database pool, Redis and the
 * queues close), so no run queries a closed connection. A failed run is logged; the next tick
 * tries again.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Starts the timer (it does not keep the process alive); `immediately` runs once now too. */
  start({ immediately = false }: { immediately?: boolean } = {}): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
    if (immediately) void this.run();
  }

  /** True once `stop()` was called: long runs check it between steps and end early. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Runs now, or joins the run in flight; after `stop()` runs nothing. */
  run(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.work()
      .catch((error: Error) => this.logger.warn(`${this.what} failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Clears the timer and waits for the run in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
