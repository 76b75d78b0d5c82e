import { ConsoleLogger } from '@nestjs/common';
import { createTestApp } from './support/test-app';

/** Collects the errors Nest's loggers log (TypeORM logs its query errors to the console). */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(`error: ${String(message)} ${rest.map(String).join(' ')}`);
  }

  override log(): void {
    // progress lines are not what this test watches
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/*
 * Every app the tests start is closed while its schedulers (partition maintenance, rollup step,
 * liveness sweep, backlog reconcile) and the queue processor may be mid-way. Whatever runs then
 * must finish before the database and Redis connections close: a query or a Redis command after
 * close logs "Connection terminated" into the next test file, or rejects unhandled ("Connection is
 * closed", which Jest pins on whatever test runs at that moment).
 */
describe('shutdown', () => {
  it('an app closed at any moment after start runs no query and no Redis command after close', async () => {
    const logger = new CapturingLogger();
    const consoleLines: string[] = [];
    const consoleLog = jest
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => consoleLines.push(args.map(String).join(' ')));
    const consoleError = jest
      .spyOn(console, 'error')
      .mockImplementation((...args: unknown[]) => consoleLines.push(args.map(String).join(' ')));
    try {
      for (const delay of [0, 0, 5, 20, 50, 100, 250, 400]) {
        const t = await createTestApp();
        t.app.useLogger(logger);
        await sleep(delay);
        await t.close();
      }
      // Anything still running would fail or log now.
      await sleep(1500);
      expect([...logger.lines, ...consoleLines]).toEqual([]);
    } finally {
      consoleLog.mockRestore();
      consoleError.mockRestore();
    }
  });
});
