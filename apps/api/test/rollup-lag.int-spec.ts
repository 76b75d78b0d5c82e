import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import { ROLLUP_LAG_METRIC } from '../src/modules/readings/rollup-lag.metric';
import { createTestApp, TestApp } from './support/test-app';

/** The gauge's value as the default register (what /metrics serves) answers it. */
async function scrapedLag(): Promise<number> {
  const text = await register.getSingleMetricAsString(ROLLUP_LAG_METRIC);
  const line = text.split('\n').find((row) => row.startsWith(`${ROLLUP_LAG_METRIC} `));
  return Number(line?.split(' ')[1]);
}

/*
 * While the test holds the rollup step's lock nothing is folded, so the lag can be watched
 * growing, then falling back once the test folds.
 */
describe('rollup lag metric', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PROCESS_MODE: 'api' });
  });
  afterAll(() => t.close());

  it('gridwatch_rollup_lag_seconds on the default register is the age of the oldest unfolded reading, back near 0 once folded', async () => {
    const repository = t.app.get(ReadingsRepository);
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org));
    // Hold the rollup step's lock: no process folds (other test files' apps run the step).
    const holder = t.db.createQueryRunner();
    await holder.startTransaction();
    await holder.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('gridwatch.rollup_step', 0))`,
    );
    await repository.store({
      batchId: randomUUID(),
      organizationId: org.id,
      gatewayId: null,
      source: 'http',
      readings: [{ m: meter.id, p: 'power_w', t: Date.now() - 60_000, v: 5, u: 'W', q: 'good' }],
      outOfRange: [],
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    try {
      expect(await scrapedLag()).toBeGreaterThanOrEqual(1);
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }

    await repository.foldPending();
    // Other test files store meanwhile: their keys are fresh, not a second old.
    expect(await scrapedLag()).toBeLessThan(1);
  });
});
