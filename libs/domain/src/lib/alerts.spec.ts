import {
  allowedAlertTransitions,
  breaches,
  isWithinOperatingHours,
  judgeReadings,
  scheduleApplies,
  type JudgedReading,
  type ReadingRule,
} from './alerts';

const day = { open: '08:00', close: '18:00' };
const week = { mon: day, tue: day, wed: day, thu: day, fri: day };
const at = (iso: string) => Date.parse(iso);
const reading = (t: number, v: number, q: JudgedReading['q'] = 'good'): JudgedReading => ({
  t,
  v,
  q,
});
const empty = { breachSince: null, last: null };
const always = () => true;

describe('alert transitions', () => {
  it('active -> acknowledged -> resolved, active -> resolved, nothing after resolved', () => {
    expect(allowedAlertTransitions('active')).toEqual(['acknowledged', 'resolved']);
    expect(allowedAlertTransitions('acknowledged')).toEqual(['resolved']);
    expect(allowedAlertTransitions('resolved')).toEqual([]);
  });
});

describe('operating hours', () => {
  it("reads the site's wall clock, so the UTC hours move with DST (Europe/London)", () => {
    // Friday 23 Oct 2026 is BST (UTC+1); Friday 30 Oct is GMT.
    expect(isWithinOperatingHours(at('2026-10-23T07:30:00Z'), 'Europe/London', week)).toBe(true);
    expect(isWithinOperatingHours(at('2026-10-30T07:30:00Z'), 'Europe/London', week)).toBe(false);
    expect(isWithinOperatingHours(at('2026-10-23T17:30:00Z'), 'Europe/London', week)).toBe(false);
    expect(isWithinOperatingHours(at('2026-10-30T17:30:00Z'), 'Europe/London', week)).toBe(true);
  });

  it('a missing day is closed; close is exclusive and may be 24:00', () => {
    expect(isWithinOperatingHours(at('2026-10-24T12:00:00Z'), 'UTC', week)).toBe(false);
    expect(isWithinOperatingHours(at('2026-10-23T18:00:00Z'), 'UTC', week)).toBe(false);
    const late = { mon: { open: '20:00', close: '24:00' } };
    expect(isWithinOperatingHours(at('2026-10-26T23:59:00Z'), 'UTC', late)).toBe(true);
  });

  it('schedules: always, in_hours, out_of_hours', () => {
    const night = at('2026-10-23T23:00:00Z');
    expect(scheduleApplies('always', night, 'UTC', week)).toBe(true);
    expect(scheduleApplies('in_hours', night, 'UTC', week)).toBe(false);
    expect(scheduleApplies('out_of_hours', night, 'UTC', week)).toBe(true);
  });
});

describe('reading conditions', () => {
  const rule = (
    condition: ReadingRule['condition'],
    threshold: number | null = 10,
  ): ReadingRule => ({
    condition,
    threshold,
    durationSeconds: 0,
  });

  it('above and below are strict; data_quality is any quality but good', () => {
    expect(breaches(rule('above'), reading(0, 10), null)).toBe(false);
    expect(breaches(rule('above'), reading(0, 10.1), null)).toBe(true);
    expect(breaches(rule('below'), reading(0, 9), null)).toBe(true);
    expect(breaches(rule('data_quality', null), reading(0, 1, 'good'), null)).toBe(false);
    expect(breaches(rule('data_quality', null), reading(0, 1, 'estimated'), null)).toBe(true);
  });

  it('rate_of_change is per minute, either direction, and needs a previous reading', () => {
    expect(breaches(rule('rate_of_change'), reading(60_000, 100), null)).toBe(false);
    expect(breaches(rule('rate_of_change'), reading(60_000, 105), { t: 0, v: 100 })).toBe(false);
    expect(breaches(rule('rate_of_change'), reading(60_000, 80), { t: 0, v: 100 })).toBe(true);
    expect(breaches(rule('rate_of_change'), reading(120_000, 115), { t: 0, v: 100 })).toBe(false);
  });
});

describe('judgeReadings', () => {
  const sustained: ReadingRule = { condition: 'above', threshold: 100, durationSeconds: 120 };

  it('fires once every reading across the duration breached, across jobs', () => {
    const first = judgeReadings(sustained, [reading(0, 150), reading(60_000, 150)], empty, always);
    expect(first.fired).toBeNull();
    const second = judgeReadings(sustained, [reading(120_000, 160)], first.memory, always);
    expect(second.fired).toEqual(reading(120_000, 160));
    expect(second.clearedAtEnd).toBe(false);
  });

  it('a clear reading or one outside the schedule breaks the run', () => {
    const readings = [
      reading(0, 150),
      reading(60_000, 50),
      reading(120_000, 150),
      reading(180_000, 150),
    ];
    expect(judgeReadings(sustained, readings, empty, always).fired).toBeNull();
    const closed = (t: number) => t !== 60_000;
    const run = [reading(0, 150), reading(60_000, 150), reading(120_000, 150)];
    expect(judgeReadings(sustained, run, empty, closed).fired).toBeNull();
  });

  it('sorts readings, ignores those older than it already judged, and reports a clear end', () => {
    const now = { condition: 'above' as const, threshold: 100, durationSeconds: 0 };
    const verdict = judgeReadings(now, [reading(2000, 50), reading(1000, 150)], empty, always);
    expect(verdict.fired).toEqual(reading(1000, 150));
    expect(verdict.clearedAtEnd).toBe(true);
    const stale = judgeReadings(now, [reading(500, 150)], verdict.memory, always);
    expect(stale.fired).toBeNull();
    expect(stale.memory).toEqual(verdict.memory);
  });
});
