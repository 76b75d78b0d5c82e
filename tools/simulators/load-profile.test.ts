// Run: node -r ./tools/register.js --test tools/simulators/*.test.ts
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadProfile, coldness, demand, gridOf, occupancy, parametersOf } from './load-profile';
import { formatRfc3339, localClockOf } from './local-clock';

const HOUR = 3_600_000;
const london = new LoadProfile({ seed: 'test', timeZone: 'Europe/London' });
const newYork = new LoadProfile({ seed: 'test', timeZone: 'America/New_York' });

/** Epoch ms of a London wall-clock time in winter (GMT = UTC). */
const winter = (day: string, hour: number): number => Date.parse(`${day}T00:00:00Z`) + hour * HOUR;

/** Average power over an hour, sampled every minute, so noise does not decide a comparison. */
function hourlyPower(profile: LoadProfile, kind: string, start: number, id = `m-${kind}`): number {
  let total = 0;
  for (let minute = 0; minute < 60; minute += 1)
    total += profile.powerAt({ id, kind }, start + minute * 60_000);
  return total / 60;
}

describe('load profile', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const meter = { id: 'a', kind: 'main' };
    const at = winter('2025-01-15', 10);
    assert.deepEqual(
      london.sample(meter, at),
      new LoadProfile({ seed: 'test', timeZone: 'Europe/London' }).sample(meter, at),
    );
    assert.notEqual(
      london.powerAt(meter, at),
      new LoadProfile({ seed: 'other', timeZone: 'Europe/London' }).powerAt(meter, at),
    );
  });

  it('heats on cold mornings and evenings, and hardly in summer', () => {
    const morning = hourlyPower(london, 'heater', winter('2025-01-15', 7));
    const afternoon = hourlyPower(london, 'heater', winter('2025-01-15', 14));
    const evening = hourlyPower(london, 'heater', winter('2025-01-15', 18));
    const summerMorning = hourlyPower(london, 'heater', Date.parse('2025-07-15T06:00:00Z'));
    assert.ok(morning > 2 * afternoon, `morning ${morning} vs afternoon ${afternoon}`);
    assert.ok(evening > 2 * afternoon, `evening ${evening} vs afternoon ${afternoon}`);
    assert.ok(summerMorning < morning / 10, `summer ${summerMorning} vs winter ${morning}`);
  });

  it('cools on summer afternoons', () => {
    const afternoon = hourlyPower(london, 'air_conditioning', Date.parse('2025-07-15T14:00:00Z'));
    const night = hourlyPower(london, 'air_conditioning', Date.parse('2025-07-15T02:00:00Z'));
    const winterAfternoon = hourlyPower(london, 'air_conditioning', winter('2025-01-15', 15));
    assert.ok(afternoon > 3 * night);
    assert.ok(afternoon > 5 * winterAfternoon);
  });

  it('lights working hours on working days', () => {
    const weekday = hourlyPower(london, 'lighting', winter('2025-01-15', 11));
    const weekdayNight = hourlyPower(london, 'lighting', winter('2025-01-15', 23));
    const sunday = hourlyPower(london, 'lighting', winter('2025-01-19', 11));
    assert.ok(weekday > 5 * weekdayNight);
    assert.ok(weekday > 5 * sunday);
  });

  it('keeps servers and UPSes flat within a few percent', () => {
    for (const kind of ['server', 'ups']) {
      const values = Array.from({ length: 48 }, (_, i) =>
        london.powerAt({ id: kind, kind }, winter('2025-01-15', i / 2)),
      );
      const mean = values.reduce((a, b) => a + b) / values.length;
      for (const value of values)
        assert.ok(Math.abs(value / mean - 1) < 0.08, `${kind} ${value} vs mean ${mean}`);
    }
  });

  it('follows the site local hour: 13:00 in London is 08:00 in New York', () => {
    const at = winter('2025-01-15', 13);
    assert.equal(Math.round(localClockOf(at, 'America/New_York').hour), 8);
    // Water peaks around 07:30 local: 12:30 UTC in New York, not 07:30 UTC (02:30 there).
    const flow = (profile: LoadProfile, ms: number): number =>
      profile.waterFlowAt({ id: 'w', kind: 'water' }, ms);
    assert.ok(
      flow(newYork, winter('2025-01-15', 12.5)) > 3 * flow(newYork, winter('2025-01-15', 7.5)),
    );
  });

  it('derives mains and current from the time zone', () => {
    assert.deepEqual(gridOf('Europe/London'), { voltageV: 230, frequencyHz: 50 });
    assert.deepEqual(gridOf('America/Chicago'), { voltageV: 120, frequencyHz: 60 });
    for (const [profile, grid] of [
      [london, { v: 230, hz: 50 }],
      [newYork, { v: 120, hz: 60 }],
    ] as const) {
      for (let i = 0; i < 200; i += 1) {
        const s = profile.sample({ id: `m${i}`, kind: 'main' }, winter('2025-01-15', i / 10));
        assert.ok(Math.abs(s.voltageV / grid.v - 1) <= 0.02 + 1e-9, `voltage ${s.voltageV}`);
        assert.ok(Math.abs(s.frequencyHz - grid.hz) <= 0.05 + 1e-9, `frequency ${s.frequencyHz}`);
        assert.ok(s.powerFactor >= 0.85 && s.powerFactor <= 0.99, `pf ${s.powerFactor}`);
        assert.ok(Math.abs(s.currentA - s.powerW / (s.voltageV * s.powerFactor)) < 1e-9);
      }
    }
  });

  it('integrates power into a counter that never goes backwards', () => {
    const meter = { id: 'c', kind: 'main' };
    const start = winter('2025-01-15', 0);
    let counters = london.initialCounters(meter, start);
    const first = counters.energyKwh;
    let previous = first;
    for (let t = start + 10_000; t <= start + 24 * HOUR; t += 10_000) {
      counters = london.advance(meter, counters, t);
      assert.ok(counters.energyKwh >= previous);
      previous = counters.energyKwh;
    }
    // One step over the whole day agrees with 10-second steps.
    const oneGo = london.advance(meter, london.initialCounters(meter, start), start + 24 * HOUR);
    assert.ok(Math.abs(oneGo.energyKwh - counters.energyKwh) < 0.01 * (counters.energyKwh - first));
    // A day's consumption is the day's average power x 24 h.
    let average = 0;
    for (let h = 0; h < 24; h += 1)
      average += hourlyPower(london, 'main', start + h * HOUR, meter.id) / 24;
    assert.ok(
      Math.abs(counters.energyKwh - first - (average * 24) / 1000) <
        0.05 * (counters.energyKwh - first),
    );
    assert.deepEqual(
      london.advance(meter, counters, start),
      counters,
      'an earlier instant changes nothing',
    );
  });

  it('reports every parameter of the kind with canonical units', () => {
    const at = winter('2025-01-15', 9);
    const counters = london.initialCounters({ id: 'x', kind: 'server' }, at);
    const readings = london.readingsOf(
      { id: 'x', kind: 'server' },
      london.sample({ id: 'x', kind: 'server' }, at),
      counters,
    );
    assert.deepEqual(
      readings.map((r) => r.parameter),
      [
        'energy_kwh',
        'power_w',
        'voltage_v',
        'current_a',
        'power_factor',
        'frequency_hz',
        'temperature_c',
      ],
    );
    assert.deepEqual(
      readings.map((r) => r.unit),
      ['kWh', 'W', 'V', 'A', '', 'Hz', '°C'],
    );
    assert.deepEqual(parametersOf('water'), ['water_m3', 'temperature_c']);
  });

  it('shapes occupancy, season and demand sensibly', () => {
    assert.equal(coldness(15), 1);
    assert.ok(coldness(196) < 0.01);
    assert.equal(coldness(15, true), 0);
    assert.equal(occupancy({ hour: 12, weekday: 3, dayOfYear: 1, offsetMinutes: 0 }), 1);
    assert.ok(occupancy({ hour: 12, weekday: 0, dayOfYear: 1, offsetMinutes: 0 }) < 0.1);
    assert.equal(demand('water', { hour: 12, weekday: 3, dayOfYear: 1, offsetMinutes: 0 }), 0);
  });

  it('stamps RFC 3339 with the local offset', () => {
    assert.equal(
      formatRfc3339(Date.parse('2025-07-01T12:00:00Z'), 'Europe/London'),
      '2025-07-01T13:00:00.000+01:00',
    );
    assert.equal(
      formatRfc3339(Date.parse('2025-01-01T12:00:00Z'), 'America/New_York'),
      '2025-01-01T07:00:00.000-05:00',
    );
    assert.equal(
      formatRfc3339(Date.parse('2025-01-01T12:00:00Z'), 'Asia/Kolkata'),
      '2025-01-01T17:30:00.000+05:30',
    );
  });
});
