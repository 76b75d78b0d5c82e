export const Parameter = {
  EnergyKwh: 'energy_kwh',
  PowerW: 'power_w',
  VoltageV: 'voltage_v',
  CurrentA: 'current_a',
  PowerFactor: 'power_factor',
  FrequencyHz: 'frequency_hz',
  TemperatureC: 'temperature_c',
  WaterM3: 'water_m3',
} as const;
export type Parameter = (typeof Parameter)[keyof typeof Parameter];
export const PARAMETERS: readonly Parameter[] = Object.values(Parameter);

export const Quality = {
  Good: 'good',
  Estimated: 'estimated',
  Questionable: 'questionable',
  Bad: 'bad',
} as const;
export type Quality = (typeof Quality)[keyof typeof Quality];
export const QUALITIES: readonly Quality[] = Object.values(Quality);

export const ReadingSource = { Http: 'http', Mqtt: 'mqtt', Modbus: 'modbus' } as const;
export type ReadingSource = (typeof ReadingSource)[keyof typeof ReadingSource];

/** Plausible bounds of a parameter's value in its canonical unit, inclusive; a missing bound is open. */
export interface ValueRange {
  min?: number;
  max?: number;
}
/** Per-meter replacements for the default plausible ranges. */
export type ValueRangeOverrides = Partial<Record<Parameter, ValueRange>>;
