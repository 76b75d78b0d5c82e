import type { LiveReading, RoomRef } from '@gridwatch/contracts';
import { ReadingCoalescer, type CoalescedReadings } from './reading-coalescer';

const room: RoomRef = { kind: 'meter', id: 'm1' };

function reading(parameter: LiveReading['parameter'], t: number, value: number) {
  return {
    t,
    reading: {
      meterId: 'm1',
      siteId: 's1',
      parameter,
      ts: new Date(t).toISOString(),
      value,
      unit: parameter === 'power_w' ? 'W' : 'V',
      quality: 'good' as const,
    },
  };
}

describe('ReadingCoalescer', () => {
  let flushed: CoalescedReadings[];
  let coalescer: ReadingCoalescer;

  beforeEach(() => {
    jest.useFakeTimers();
    flushed = [];
    coalescer = new ReadingCoalescer(250, (batch) => flushed.push(batch));
  });
  afterEach(() => jest.useRealTimers());

  it('hands over one batch per room and window, with the newest reading per parameter by time', () => {
    coalescer.add('o1', room, 'org:o1:meter:m1', [
      reading('power_w', 2000, 2),
      reading('power_w', 3000, 3),
    ]);
    jest.advanceTimersByTime(100);
    coalescer.add('o1', room, 'org:o1:meter:m1', [
      reading('power_w', 1000, 1), // late, older: does not replace the newer value
      reading('voltage_v', 1500, 230),
    ]);
    expect(flushed).toEqual([]);
    jest.advanceTimersByTime(150);
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({ organizationId: 'o1', room, name: 'org:o1:meter:m1' });
    expect(flushed[0]?.readings.map((r) => [r.parameter, r.value])).toEqual([
      ['power_w', 3],
      ['voltage_v', 230],
    ]);
  });

  it('keeps rooms apart and opens a new window after a flush', () => {
    coalescer.add('o1', room, 'a', [reading('power_w', 1000, 1)]);
    coalescer.add('o1', room, 'b', [reading('power_w', 1000, 1)]);
    jest.advanceTimersByTime(250);
    coalescer.add('o1', room, 'a', [reading('power_w', 2000, 2)]);
    jest.advanceTimersByTime(250);
    expect(flushed.map((batch) => [batch.name, batch.readings[0]?.value])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
  });

  it('keeps the first value of an instant, as storage does', () => {
    coalescer.add('o1', room, 'a', [reading('power_w', 1000, 1), reading('power_w', 1000, 9)]);
    coalescer.close();
    expect(flushed[0]?.readings.map((r) => r.value)).toEqual([1]);
  });

  it('flushes every open window at once on shutdown and takes nothing after, nor empty additions', () => {
    coalescer.add('o1', room, 'a', []);
    coalescer.add('o1', room, 'b', [reading('power_w', 1000, 1)]);
    coalescer.close();
    coalescer.add('o1', room, 'c', [reading('power_w', 2000, 2)]);
    jest.advanceTimersByTime(1000);
    expect(flushed.map((batch) => batch.name)).toEqual(['b']);
  });
});
