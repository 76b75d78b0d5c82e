import { Parameter, ValueRange, ValueRangeOverrides } from '@gridwatch/contracts';

/**
 * Plausible values per parameter in canonical units. Voltage, current, power and power factor are
 * seed 000's ranges. Seed 000's 0..100000 kWh "consumption" bound is not kept: energy_kwh is a
 * cumulative counter, which a main incomer outgrows within months.
 */
export const DEFAULT_VALUE_RANGES: Readonly<Record<Parameter, Readonly<ValueRange>>> = {
  [Parameter.EnergyKwh]: { min: 0 },
  [Parameter.PowerW]: { min: 0, max: 1_000_000 },
  [Parameter.VoltageV]: { min: 180, max: 260 },
  [Parameter.CurrentA]: { min: 0, max: 5000 },
  [Parameter.PowerFactor]: { min: 0, max: 1 },
  [Parameter.FrequencyHz]: { min: 40, max: 70 },
  [Parameter.TemperatureC]: { min: -50, max: 150 },
  [Parameter.WaterM3]: { min: 0 },
};

/** The range that applies to a meter: each bound of its override replaces the default's. */
export function valueRangeOf(parameter: Parameter, overrides?: ValueRangeOverrides): ValueRange {
  return { ...DEFAULT_VALUE_RANGES[parameter], ...definedBounds(overrides?.[parameter]) };
}

/** Whether `value` (in the canonical unit) lies outside the plausible range; bounds are inclusive. */
export function isOutOfRange(
  parameter: Parameter,
  value: number,
  overrides?: ValueRangeOverrides,
): boolean {
  if (Number.isNaN(value)) {
    return true;
  }
  const { min, max } = valueRangeOf(parameter, overrides);
  return (min !== undefined && value < min) || (max !== undefined && value > max);
}

/** Keeps only numeric bounds, so a bound left undefined (or stored as null) keeps the default. */
function definedBounds(range: ValueRange | undefined): ValueRange {
  const bounds: ValueRange = {};
  if (typeof range?.min === 'number') {
    bounds.min = range.min;
  }
  if (typeof range?.max === 'number') {
    bounds.max = range.max;
  }
  return bounds;
}
