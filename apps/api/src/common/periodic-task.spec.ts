import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  const logger = new Logger('test');

  it('never runs twice at once, and stop() resolves only after the run in flight ended', async () => {
    let active = 0;
    let most = 0;
    let finished = 0;
    const task = new PeriodicTask(
      'slow work',
      5,
      async () => {
        active += 1;
        most = Math.max(most, active);
        await sleep(40);
        active -= 1;
        finished += 1;
      },
      logger,
    );
    task.start({ immediately: true });
    await sleep(60);
    await task.stop();
    expect(most).toBe(1);
    expect(active).toBe(0);
    const after = finished;
    await sleep(60);
    expect(finished).toBe(after);
    await task.run();
    expect(finished).toBe(after);
  });

  it('logs a failed run and runs again on the next tick', async () => {
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let runs = 0;
    const task = new PeriodicTask(
      'failing work',
      10,
      async () => {
        runs += 1;
        throw new Error('boom');
      },
      logger,
    );
    task.start();
    await sleep(60);
    await task.stop();
    expect(runs).toBeGreaterThan(1);
    expect(warn).toHaveBeenCalledWith('failing work failed: boom');
  });
});
