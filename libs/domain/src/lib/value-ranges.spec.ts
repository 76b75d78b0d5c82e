import { PARAMETERS, Parameter } from '@gridwatch/contracts';
import { DEFAULT_VALUE_RANGES, isOutOfRange, valueRangeOf } from './value-ranges';

describe('value ranges', () => {
  describe('defaults', () => {
    it('defines a range for every parameter', () => {
      expect(Object.keys(DEFAULT_VALUE_RANGES).sort()).toEqual([...PARAMETERS].sort());
    });

    it("takes seed 000's mains ranges for voltage, current, power and power factor", () => {
      expect(DEFAULT_VALUE_RANGES.voltage_v).toEqual({ min: 180, max: 260 });
      expect(DEFAULT_VALUE_RANGES.current_a).toEqual({ min: 0, max: 5000 });
      expect(DEFAULT_VALUE_RANGES.power_w).toEqual({ min: 0, max: 1_000_000 });
      expect(DEFAULT_VALUE_RANGES.power_factor).toEqual({ min: 0, max: 1 });
    });

    it('bounds frequency to 40..70 Hz and temperature to -50..150 °C', () => {
      expect(DEFAULT_VALUE_RANGES.frequency_hz).toEqual({ min: 40, max: 70 });
      expect(DEFAULT_VALUE_RANGES.temperature_c).toEqual({ min: -50, max: 150 });
    });

    it('only bounds cumulative energy and water counters from below', () => {
      expect(DEFAULT_VALUE_RANGES.energy_kwh).toEqual({ min: 0 });
      expect(DEFAULT_VALUE_RANGES.water_m3).toEqual({ min: 0 });
    });
  });

  describe('isOutOfRange', () => {
    it('accepts values inside the range', () => {
      expect(isOutOfRange(Parameter.VoltageV, 230)).toBe(false);
      expect(isOutOfRange(Parameter.FrequencyHz, 50)).toBe(false);
      expect(isOutOfRange(Parameter.TemperatureC, -10)).toBe(false);
    });

    it('treats both bounds as inclusive', () => {
      expect(isOutOfRange(Parameter.VoltageV, 180)).toBe(false);
      expect(isOutOfRange(Parameter.VoltageV, 260)).toBe(false);
      expect(isOutOfRange(Parameter.PowerFactor, 0)).toBe(false);
      expect(isOutOfRange(Parameter.PowerFactor, 1)).toBe(false);
    });

    it('flags values below the minimum', () => {
      expect(isOutOfRange(Parameter.VoltageV, 179.9)).toBe(true);
      expect(isOutOfRange(Parameter.CurrentA, -0.1)).toBe(true);
    });

    it('flags values above the maximum', () => {
      expect(isOutOfRange(Parameter.VoltageV, 260.1)).toBe(true);
      expect(isOutOfRange(Parameter.PowerW, 1_000_001)).toBe(true);
      expect(isOutOfRange(Parameter.TemperatureC, 151)).toBe(true);
    });

    it('flags a negative counter reading', () => {
      expect(isOutOfRange(Parameter.EnergyKwh, -1)).toBe(true);
      expect(isOutOfRange(Parameter.WaterM3, -0.001)).toBe(true);
    });

    it('never flags a large counter reading', () => {
      expect(isOutOfRange(Parameter.EnergyKwh, 987_654_321)).toBe(false);
      expect(isOutOfRange(Parameter.WaterM3, 1e9)).toBe(false);
    });

    it('flags NaN and infinities', () => {
      expect(isOutOfRange(Parameter.VoltageV, Number.NaN)).toBe(true);
      expect(isOutOfRange(Parameter.EnergyKwh, Number.POSITIVE_INFINITY)).toBe(false);
      expect(isOutOfRange(Parameter.VoltageV, Number.NEGATIVE_INFINITY)).toBe(true);
    });
  });

  describe('meter overrides', () => {
    it('lets a 120 V meter replace both voltage bounds', () => {
      const overrides = { voltage_v: { min: 100, max: 130 } };
      expect(isOutOfRange(Parameter.VoltageV, 120, overrides)).toBe(false);
      expect(isOutOfRange(Parameter.VoltageV, 230, overrides)).toBe(true);
    });

    it('keeps the default bound an override leaves out', () => {
      const overrides = { power_w: { min: -50_000 } };
      expect(valueRangeOf(Parameter.PowerW, overrides)).toEqual({ min: -50_000, max: 1_000_000 });
      expect(isOutOfRange(Parameter.PowerW, -20_000, overrides)).toBe(false);
      expect(isOutOfRange(Parameter.PowerW, 2_000_000, overrides)).toBe(true);
    });

    it('keeps the default bound an override sets to undefined', () => {
      expect(valueRangeOf(Parameter.VoltageV, { voltage_v: { min: 100, max: undefined } })).toEqual(
        {
          min: 100,
          max: 260,
        },
      );
    });

    it('ignores bounds stored as something other than a number', () => {
      const stored = JSON.parse('{"voltage_v": {"min": null, "max": "300"}}');
      expect(valueRangeOf(Parameter.VoltageV, stored)).toEqual({ min: 180, max: 260 });
    });

    it('adds a maximum where the default has none', () => {
      const overrides = { energy_kwh: { max: 50_000 } };
      expect(isOutOfRange(Parameter.EnergyKwh, 60_000, overrides)).toBe(true);
      expect(isOutOfRange(Parameter.EnergyKwh, -1, overrides)).toBe(true);
    });

    it('leaves other parameters on their defaults', () => {
      const overrides = { voltage_v: { min: 100, max: 130 } };
      expect(valueRangeOf(Parameter.CurrentA, overrides)).toEqual(DEFAULT_VALUE_RANGES.current_a);
    });

    it('does not change the defaults', () => {
      valueRangeOf(Parameter.VoltageV, { voltage_v: { min: 1 } }).max = 5;
      expect(DEFAULT_VALUE_RANGES.voltage_v).toEqual({ min: 180, max: 260 });
    });
  });
});
