import { DomainException } from '@gridwatch/server';
import { isTransientFailure } from '../transient-failure';
import { IngestRetryBuffer, type BufferedBatch } from './ingest-retry-buffer';

const queueDown = () => new DomainException('service_unavailable', 'queue down');

/** A queue that fails while `down`, recording what it took. */
class FakeQueue {
  down = false;
  refuse = false;
  readonly taken: string[] = [];

  batch(name: string, readings = 10): BufferedBatch {
    return {
      gatewayId: 'gw',
      readings,
      enqueue: async () => {
        if (this.refuse) throw new DomainException('no_readings_accepted', 'refused');
        if (this.down) throw queueDown();
        this.taken.push(name);
      },
    };
  }
}

describe('IngestRetryBuffer', () => {
  let queue: FakeQueue;
  let dropped: Array<{ readings: number; why: string }>;
  let held: number[];
  let buffer: IngestRetryBuffer;

  beforeEach(() => {
    jest.useFakeTimers();
    queue = new FakeQueue();
    dropped = [];
    held = [];
    buffer = new IngestRetryBuffer({
      maxReadings: 30,
      firstDelayMs: 1000,
      maxDelayMs: 8000,
      isTransient: isTransientFailure,
      onDropped: (readings, why) => dropped.push({ readings, why }),
      onHeld: (readings) => held.push(readings),
    });
  });

  afterEach(() => {
    buffer.close();
    jest.useRealTimers();
  });

  it('enqueues at once while the queue is up', async () => {
    await buffer.submit(queue.batch('a'));
    expect(queue.taken).toEqual(['a']);
    expect(buffer.readings).toBe(0);
  });

  it('holds readings while the queue is down and enqueues them, in order, once it is back', async () => {
    queue.down = true;
    await buffer.submit(queue.batch('a'));
    await buffer.submit(queue.batch('b'));
    expect(buffer.readings).toBe(20);

    await jest.advanceTimersByTimeAsync(1000); // first retry: still down
    expect(queue.taken).toEqual([]);
    queue.down = false;
    await buffer.submit(queue.batch('c')); // waits behind the held ones, keeping the order
    await jest.advanceTimersByTimeAsync(2000); // the backoff doubled
    expect(queue.taken).toEqual(['a', 'b', 'c']);
    expect(buffer.readings).toBe(0);
    expect(dropped).toEqual([]);
  });

  it('backs off doubling up to the maximum', async () => {
    queue.down = true;
    const batch = queue.batch('a');
    const tries = jest.fn(batch.enqueue);
    await buffer.submit({ ...batch, enqueue: tries });
    expect(tries).toHaveBeenCalledTimes(1);
    for (const delay of [1000, 2000, 4000, 8000, 8000]) {
      const before = tries.mock.calls.length;
      await jest.advanceTimersByTimeAsync(delay - 1);
      expect(tries.mock.calls.length).toBe(before);
      await jest.advanceTimersByTimeAsync(1);
      expect(tries.mock.calls.length).toBe(before + 1);
    }
  });

  it('drops the oldest readings past the bound, and counts them', async () => {
    queue.down = true;
    for (const name of ['a', 'b', 'c', 'd']) await buffer.submit(queue.batch(name));
    expect(buffer.readings).toBe(30);
    expect(dropped).toEqual([{ readings: 10, why: 'overflow' }]);

    queue.down = false;
    await buffer.flush();
    expect(queue.taken).toEqual(['b', 'c', 'd']);
  });

  it('does not hold what the pipeline refuses for good', async () => {
    queue.refuse = true;
    await expect(buffer.submit(queue.batch('a'))).rejects.toThrow('refused');
    expect(buffer.readings).toBe(0);
  });
});
