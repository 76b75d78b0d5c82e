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

  it('sends a quiet room its readings at once, then one batch per window with the newest reading per parameter by time', () => {
    coalescer.add('o1', room, 'org:o1:meter:m1', [
      reading('power_w', 2000, 2),
      reading('power_w', 3000, 3),
    ]);
    expect(flushed.map((batch) => batch.readings.map((r) => [r.parameter, r.value]))).toEqual([
      [['power_w', 3]],
    ]);
    expect(flushed[0]).toMatchObject({ organizationId: 'o1', room, name: 'org:o1:meter:m1' });
    jest.advanceTimersByTime(100);
    coalescer.add('o1', room, 'org:o1:meter:m1', [
      reading('power_w', 4000, 4),
      reading('power_w', 1000, 1), // late, older: does not replace the newer value
      reading('voltage_v', 1500, 230),
    ]);
    expect(flushed).toHaveLength(1); // the room is hot: it waits for the end of the window
    jest.advanceTimersByTime(149);
    expect(flushed).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(flushed).toHaveLength(2);
    expect(flushed[1]?.readings.map((r) => [r.parameter, r.value])).toEqual([
      ['power_w', 4],
      ['voltage_v', 230],
    ]);
  });

  it('keeps rooms apart; a room quiet for a whole window is sent to at once again', () => {
    coalescer.add('o1', room, 'a', [reading('power_w', 1000, 1)]);
    coalescer.add('o1', room, 'b', [reading('power_w', 1000, 1)]);
    jest.advanceTimersByTime(250); // nothing arrived during the window: a and b are quiet
    coalescer.add('o1', room, 'a', [reading('power_w', 2000, 2)]);
    jest.advanceTimersByTime(100);
    coalescer.add('o1', room, 'a', [reading('power_w', 3000, 3)]);
    coalescer.add('o1', room, 'a', [reading('power_w', 3500, 4)]);
    expect(flushed.map((batch) => [batch.name, batch.readings[0]?.value])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
    jest.advanceTimersByTime(150);
    jest.advanceTimersByTime(1000);
    expect(flushed.map((batch) => [batch.name, batch.readings[0]?.value])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['a', 4],
    ]);
  });

  it('keeps the first value of an instant, as storage does', () => {
    coalescer.add('o1', room, 'a', [reading('power_w', 1000, 1), reading('power_w', 1000, 9)]);
    coalescer.add('o1', room, 'a', [reading('power_w', 2000, 5), reading('power_w', 2000, 6)]);
    coalescer.close();
    expect(flushed.map((batch) => batch.readings.map((r) => r.value))).toEqual([[1], [5]]);
  });

  it('hands over what hot rooms collected on shutdown and takes nothing after, nor empty additions', () => {
    coalescer.add('o1', room, 'a', []);
    coalescer.add('o1', room, 'b', [reading('power_w', 1000, 1)]);
    coalescer.add('o1', room, 'b', [reading('power_w', 1500, 2)]);
    coalescer.close();
    coalescer.add('o1', room, 'c', [reading('power_w', 2000, 2)]);
    jest.advanceTimersByTime(1000);
    expect(flushed.map((batch) => [batch.name, batch.readings[0]?.value])).toEqual([
      ['b', 1],
      ['b', 2],
    ]);
  });
});
