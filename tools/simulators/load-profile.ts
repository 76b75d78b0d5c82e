import { MeterKind, Parameter, Quality } from '@gridwatch/contracts';
import { CANONICAL_UNITS } from '@gridwatch/domain';
import { LocalClock, localClockOf } from './local-clock';

/**
 * Load curves a meter of each kind plausibly draws at a site, by the site's local time and season,
 * with noise. Every value is a pure function of (seed, meter id, instant): two runs with the same
 * seed produce the same readings, whatever order they ask in, so restarts do not jump.
 */

/** The meter a profile is computed for. `kind` is a MeterKind; anything else is treated as `other`. */
export interface ProfileMeter {
  id: string;
  kind: string;
}

/** Nominal mains of a site. */
export interface Grid {
  voltageV: number;
  frequencyHz: number;
}

/** What a meter measures at one instant. */
export interface InstantSample {
  powerW: number;
  voltageV: number;
  currentA: number;
  powerFactor: number;
  frequencyHz: number;
  /** Inlet air (server, ups) or supply water (water) temperature; absent for other kinds. */
  temperatureC?: number;
  /** Water meters only. */
  waterFlowM3PerHour?: number;
}

/** The cumulative registers of a meter, as of `atMs`. Both only ever grow. */
export interface MeterCounters {
  energyKwh: number;
  waterM3: number;
  atMs: number;
}

export interface SimulatedReading {
  parameter: Parameter;
  value: number;
  unit: string;
  quality: Quality;
}

const EUROPE: Grid = { voltageV: 230, frequencyHz: 50 };
const NORTH_AMERICA: Grid = { voltageV: 120, frequencyHz: 60 };
/** South American zones on 220 V / 50 Hz; the rest of America/* is treated as 120 V / 60 Hz. */
const AMERICA_50HZ = [
  'America/Argentina/',
  'America/Buenos_Aires',
  'America/Santiago',
  'America/Montevideo',
  'America/Asuncion',
  'America/La_Paz',
];
const SOUTHERN_HEMISPHERE = [
  'Australia/',
  'Antarctica/',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Africa/Johannesburg',
  'Africa/Maputo',
  'Africa/Windhoek',
  'America/Sao_Paulo',
  'America/Argentina/',
  'America/Buenos_Aires',
  'America/Santiago',
  'America/Montevideo',
  'America/Asuncion',
  'America/La_Paz',
  'America/Lima',
  'Indian/Mauritius',
];

/** Mains by time zone: ~120 V / 60 Hz in North America, 230 V / 50 Hz elsewhere. */
export function gridOf(timeZone: string): Grid {
  if (!timeZone.startsWith('America/')) return EUROPE;
  const fiftyHertz = AMERICA_50HZ.some((prefix) => timeZone.startsWith(prefix));
  return fiftyHertz ? { voltageV: 220, frequencyHz: 50 } : NORTH_AMERICA;
}

function isSouthern(timeZone: string): boolean {
  return SOUTHERN_HEMISPHERE.some((prefix) => timeZone.startsWith(prefix));
}

/** The parameters a meter of `kind` reports every tick. */
export function parametersOf(kind: string): readonly Parameter[] {
  if (kind === MeterKind.Water) return [Parameter.WaterM3, Parameter.TemperatureC];
  const electrical: Parameter[] = [
    Parameter.EnergyKwh,
    Parameter.PowerW,
    Parameter.VoltageV,
    Parameter.CurrentA,
    Parameter.PowerFactor,
    Parameter.FrequencyHz,
  ];
  return kind === MeterKind.Server || kind === MeterKind.Ups
    ? [...electrical, Parameter.TemperatureC]
    : electrical;
}

/** Rated load of each kind in watts (water: rated flow in m3/h), before the per-meter size factor. */
const RATED: Readonly<Record<MeterKind, number>> = {
  main: 45_000,
  heater: 12_000,
  air_conditioning: 15_000,
  water: 1.5,
  lighting: 4_000,
  ups: 3_000,
  server: 6_000,
  other: 5_000,
};

/** Typical power factor of each kind's load (resistive heaters ~1, motors and compressors lower). */
const POWER_FACTOR: Readonly<Record<MeterKind, number>> = {
  main: 0.92,
  heater: 0.985,
  air_conditioning: 0.87,
  water: 0.95,
  lighting: 0.94,
  ups: 0.96,
  server: 0.97,
  other: 0.9,
};

export interface LoadProfileOptions {
  /** Any string; the same seed gives the same curves. */
  seed: string;
  /** IANA zone of the site: local hours, season and mains follow it. */
  timeZone: string;
}

export class LoadProfile {
  readonly grid: Grid;
  private readonly southern: boolean;
  private readonly clocks = new Map<number, LocalClock>();

  constructor(private readonly options: LoadProfileOptions) {
    localClockOf(0, options.timeZone); // fail fast on an unknown zone
    this.grid = gridOf(options.timeZone);
    this.southern = isSouthern(options.timeZone);
  }

  get timeZone(): string {
    return this.options.timeZone;
  }

  /** Everything the meter measures at `ms` (epoch milliseconds). */
  sample(meter: ProfileMeter, ms: number): InstantSample {
    const kind = kindOf(meter.kind);
    const key = `${this.options.seed}|${meter.id}`;
    const voltageV = this.voltageAt(key, ms);
    const powerFactor = clamp(
      POWER_FACTOR[kind] + 0.012 * smoothNoise(`${key}|pf`, ms, 600_000),
      0.85,
      0.99,
    );
    const frequencyHz =
      this.grid.frequencyHz +
      clamp(
        0.03 * smoothNoise('grid|hz', ms, 60_000) + 0.015 * jitter(`${key}|hz`, ms),
        -0.05,
        0.05,
      );
    if (kind === MeterKind.Water) {
      const flow = this.waterFlowAt(meter, ms);
      return {
        powerW: 0,
        voltageV,
        currentA: 0,
        powerFactor,
        frequencyHz,
        waterFlowM3PerHour: flow,
        temperatureC: this.supplyWaterTemperature(key, ms),
      };
    }
    const powerW = this.powerAt(meter, ms);
    const sample: InstantSample = {
      powerW,
      voltageV,
      currentA: powerW / (voltageV * powerFactor),
      powerFactor,
      frequencyHz,
    };
    if (kind === MeterKind.Server || kind === MeterKind.Ups) {
      sample.temperatureC =
        23 +
        1.5 * smoothNoise(`${key}|temp`, ms, 1_800_000) +
        2 * (powerW / this.ratedOf(meter) - 1);
    }
    return sample;
  }

  /** Active power in watts at `ms`; 0 for water meters. */
  powerAt(meter: ProfileMeter, ms: number): number {
    const kind = kindOf(meter.kind);
    if (kind === MeterKind.Water) return 0;
    const key = `${this.options.seed}|${meter.id}`;
    const load = demand(kind, this.clockAt(ms), this.southern);
    const noise = kind === MeterKind.Server || kind === MeterKind.Ups ? 0.02 : 0.07;
    const wobble =
      1 + noise * (0.7 * smoothNoise(`${key}|p`, ms, 300_000) + 0.3 * jitter(`${key}|p`, ms));
    return Math.max(0, this.ratedOf(meter) * load * wobble);
  }

  /** Water flow in m3/h at `ms`; 0 for every other kind. */
  waterFlowAt(meter: ProfileMeter, ms: number): number {
    if (kindOf(meter.kind) !== MeterKind.Water) return 0;
    const key = `${this.options.seed}|${meter.id}`;
    const clock = this.clockAt(ms);
    const working = isWorkingDay(clock.weekday) ? 1 : 0.4;
    const shape =
      0.03 +
      bump(clock.hour, 7.5, 1) +
      0.8 * bump(clock.hour, 19, 1.3) +
      0.35 * working * bump(clock.hour, 12.5, 1);
    const wobble =
      1 + 0.15 * smoothNoise(`${key}|flow`, ms, 300_000) + 0.05 * jitter(`${key}|flow`, ms);
    return Math.max(0, this.ratedOf(meter) * shape * wobble);
  }

  /** Where a meter's registers stand when the simulator first meets it: a plausible, seeded reading. */
  initialCounters(meter: ProfileMeter, ms: number): MeterCounters {
    const key = `${this.options.seed}|${meter.id}|counter`;
    return {
      energyKwh: 1_000 + 49_000 * unit(hash32(key)),
      waterM3: 100 + 4_900 * unit(hash32(`${key}|water`)),
      atMs: ms,
    };
  }

  /**
   * The registers at `ms`: the last ones plus the integral of power (and flow) since, by the
   * trapezoid rule in steps of at most a minute. Never goes backwards; an instant at or before
   * the last leaves them as they were. A gap longer than `maxGapMs` is integrated over its end only.
   */
  advance(
    meter: ProfileMeter,
    counters: MeterCounters,
    ms: number,
    maxGapMs = 7 * 86_400_000,
  ): MeterCounters {
    if (!(ms > counters.atMs)) return counters;
    const from = Math.max(counters.atMs, ms - maxGapMs);
    const steps = Math.max(1, Math.ceil((ms - from) / 60_000));
    const stepMs = (ms - from) / steps;
    let energyKwh = counters.energyKwh;
    let waterM3 = counters.waterM3;
    let previous = this.rates(meter, from);
    for (let step = 1; step <= steps; step += 1) {
      const current = this.rates(meter, step === steps ? ms : from + step * stepMs);
      const hours = stepMs / 3_600_000;
      energyKwh += ((previous.powerW + current.powerW) / 2 / 1000) * hours;
      waterM3 += ((previous.flow + current.flow) / 2) * hours;
      previous = current;
    }
    return { energyKwh, waterM3, atMs: ms };
  }

  /** The readings a gateway reports for the meter at one instant: every parameter of its kind. */
  readingsOf(
    meter: ProfileMeter,
    sample: InstantSample,
    counters: MeterCounters,
  ): SimulatedReading[] {
    const values: Record<Parameter, number | undefined> = {
      [Parameter.EnergyKwh]: round(counters.energyKwh, 3),
      [Parameter.PowerW]: round(sample.powerW, 1),
      [Parameter.VoltageV]: round(sample.voltageV, 2),
      [Parameter.CurrentA]: round(sample.currentA, 3),
      [Parameter.PowerFactor]: round(sample.powerFactor, 3),
      [Parameter.FrequencyHz]: round(sample.frequencyHz, 3),
      [Parameter.TemperatureC]:
        sample.temperatureC === undefined ? undefined : round(sample.temperatureC, 2),
      [Parameter.WaterM3]: round(counters.waterM3, 4),
    };
    return parametersOf(meter.kind).flatMap((parameter) => {
      const value = values[parameter];
      return value === undefined
        ? []
        : [{ parameter, value, unit: CANONICAL_UNITS[parameter], quality: Quality.Good }];
    });
  }

  private rates(meter: ProfileMeter, ms: number): { powerW: number; flow: number } {
    return { powerW: this.powerAt(meter, ms), flow: this.waterFlowAt(meter, ms) };
  }

  /** Meters of one kind differ in size: 0.7x to 1.3x the kind's rating, fixed per meter. */
  private ratedOf(meter: ProfileMeter): number {
    return (
      RATED[kindOf(meter.kind)] *
      (0.7 + 0.6 * unit(hash32(`${this.options.seed}|${meter.id}|size`)))
    );
  }

  /** Nominal +-2%: a slow site-wide drift plus a little per-meter jitter. */
  private voltageAt(key: string, ms: number): number {
    const drift = 0.012 * smoothNoise(`${this.options.seed}|grid|v`, ms, 900_000);
    const local = 0.004 * smoothNoise(`${key}|v`, ms, 120_000) + 0.002 * jitter(`${key}|v`, ms);
    return this.grid.voltageV * (1 + clamp(drift + local, -0.02, 0.02));
  }

  private supplyWaterTemperature(key: string, ms: number): number {
    const warmth = 1 - coldness(this.clockAt(ms).dayOfYear, this.southern);
    return 8 + 8 * warmth + 0.5 * smoothNoise(`${key}|water-temp`, ms, 3_600_000);
  }

  /** Many meters of a site are sampled at the same instants: remember the last few clocks. */
  private clockAt(ms: number): LocalClock {
    let clock = this.clocks.get(ms);
    if (!clock) {
      if (this.clocks.size > 4096) this.clocks.clear();
      clock = localClockOf(ms, this.options.timeZone);
      this.clocks.set(ms, clock);
    }
    return clock;
  }
}

/** The fraction of its rating a meter of `kind` draws at `clock` (before noise). */
export function demand(kind: MeterKind, clock: LocalClock, southern = false): number {
  const { hour } = clock;
  const occupied = occupancy(clock);
  const cold = coldness(clock.dayOfYear, southern);
  const warm = 1 - cold;
  switch (kind) {
    case MeterKind.Heater:
      // Cold mornings before and as people arrive, and evenings; barely anything in summer.
      return (
        0.01 +
        cold ** 1.3 *
          (0.1 +
            0.85 * Math.max(bump(hour, 7.5, 1.2), 0.8 * bump(hour, 18.5, 1.5)) +
            0.15 * occupied)
      );
    case MeterKind.AirConditioning:
      return 0.02 + warm ** 1.5 * (0.1 + 0.85 * bump(hour, 15, 2.5)) * (0.55 + 0.45 * occupied);
    case MeterKind.Lighting:
      return 0.08 + (0.82 + 0.1 * cold) * occupied;
    case MeterKind.Server:
    case MeterKind.Ups:
      return 0.97 + 0.03 * occupied;
    case MeterKind.Other:
      return 0.08 + occupied * (0.15 + 0.35 * bump(hour, 8.5, 0.7) + 0.75 * bump(hour, 12.5, 1));
    case MeterKind.Main:
      // An incomer sees the site: base load, people, heating in winter, cooling in summer.
      return (
        0.2 +
        0.45 * occupied +
        0.25 * cold ** 1.3 * Math.max(bump(hour, 7.5, 1.2), 0.8 * bump(hour, 18.5, 1.5)) +
        0.25 * warm ** 1.5 * bump(hour, 15, 2.5)
      );
    case MeterKind.Water:
      return 0;
  }
}

/** 0..1: how busy the building is. Weekdays ramp up 07:00-08:30 and down 17:30-19:00. */
export function occupancy(clock: LocalClock): number {
  if (!isWorkingDay(clock.weekday)) return 0.08;
  const { hour } = clock;
  return smoothstep(7, 8.5, hour) * (1 - smoothstep(17.5, 19, hour));
}

/** 1 in mid-winter, 0 in mid-summer. */
export function coldness(dayOfYear: number, southern = false): number {
  const northern = 0.5 + 0.5 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25);
  return southern ? 1 - northern : northern;
}

function isWorkingDay(weekday: number): boolean {
  return weekday >= 1 && weekday <= 5;
}

function kindOf(kind: string): MeterKind {
  return Object.hasOwn(RATED, kind) ? (kind as MeterKind) : MeterKind.Other;
}

/** A bell around `center` (hours) that wraps past midnight. */
function bump(hour: number, center: number, width: number): number {
  const distance = Math.min(Math.abs(hour - center), 24 - Math.abs(hour - center));
  return Math.exp(-0.5 * (distance / width) ** 2);
}

function smoothstep(from: number, to: number, x: number): number {
  const t = clamp((x - from) / (to - from), 0, 1);
  return t * t * (3 - 2 * t);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** FNV-1a then a murmur3 finaliser: a fast, well-spread 32-bit hash of a string. */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function unit(hash: number): number {
  return hash / 0x1_0000_0000;
}

/** -1..1, changing smoothly: seeded values every `periodMs`, cosine-interpolated between. */
export function smoothNoise(key: string, ms: number, periodMs: number): number {
  const position = ms / periodMs;
  const index = Math.floor(position);
  const a = 2 * unit(hash32(`${key}|${index}`)) - 1;
  const b = 2 * unit(hash32(`${key}|${index + 1}`)) - 1;
  const t = (1 - Math.cos(Math.PI * (position - index))) / 2;
  return a + (b - a) * t;
}

/** -1..1, a fresh seeded value every second. */
function jitter(key: string, ms: number): number {
  return 2 * unit(hash32(`${key}|j${Math.floor(ms / 1000)}`)) - 1;
}
