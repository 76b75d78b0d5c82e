import { Quality } from '@gridwatch/contracts';
import { measurementOf, worseQuality } from './measurement';

describe('measurementOf', () => {
  it('converts to the canonical unit and defaults quality to good', () => {
    expect(measurementOf({ parameter: 'energy_kwh', value: 2500, unit: 'Wh' })).toEqual({
      ok: true,
      value: {
        parameter: 'energy_kwh',
        value: 2.5,
        unit: 'kWh',
        quality: 'good',
        outOfRange: false,
      },
    });
  });

  it('assumes the canonical unit when none is given', () => {
    expect(measurementOf({ parameter: 'voltage_v', value: 231 })).toMatchObject({
      ok: true,
      value: { value: 231, unit: 'V' },
    });
  });

  it('keeps a quality the device stated', () => {
    expect(
      measurementOf({ parameter: 'voltage_v', value: 231, quality: 'estimated' }),
    ).toMatchObject({ value: { quality: 'estimated' } });
  });

  it('treats a null unit and quality as missing', () => {
    expect(
      measurementOf({ parameter: 'voltage_v', value: 231, unit: null, quality: null }),
    ).toMatchObject({ ok: true, value: { unit: 'V', quality: 'good' } });
  });

  it.each([['consumption'], ['VOLTAGE_V'], [''], [null], [7]])(
    'refuses the parameter %j as unknown_parameter',
    (parameter) => {
      expect(measurementOf({ parameter, value: 1 })).toMatchObject({
        ok: false,
        error: 'unknown_parameter',
      });
    },
  );

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a numeric string', '230'],
    ['null', null],
    ['missing', undefined],
    ['true', true],
    ['an object', { value: 1 }],
  ])('refuses a value that is %s as invalid_value', (_, value) => {
    expect(measurementOf({ parameter: 'voltage_v', value })).toMatchObject({
      ok: false,
      error: 'invalid_value',
    });
  });

  it.each([
    ['power_w', 1.7e308, 'kW'],
    ['energy_kwh', -1.7e308, 'MWh'],
  ])('refuses %s %d %s, infinite once normalised, as invalid_value', (parameter, value, unit) => {
    expect(measurementOf({ parameter, value, unit })).toMatchObject({
      ok: false,
      error: 'invalid_value',
    });
  });

  it('refuses a unit that does not belong to the parameter as unknown_unit', () => {
    expect(measurementOf({ parameter: 'voltage_v', value: 1, unit: 'kWh' })).toEqual({
      ok: false,
      error: 'unknown_unit',
      message: 'unit "kWh" is not a unit of voltage_v',
    });
  });

  it('refuses a unit that is not a string as unknown_unit', () => {
    expect(measurementOf({ parameter: 'voltage_v', value: 1, unit: 1000 })).toMatchObject({
      error: 'unknown_unit',
    });
  });

  it.each([['excellent'], ['GOOD'], [1]])(
    'refuses the quality %j as invalid_quality',
    (quality) => {
      expect(measurementOf({ parameter: 'voltage_v', value: 230, quality })).toMatchObject({
        ok: false,
        error: 'invalid_quality',
      });
    },
  );

  it('checks the value before the unit', () => {
    expect(measurementOf({ parameter: 'voltage_v', value: 'x', unit: 'parsecs' })).toMatchObject({
      error: 'invalid_value',
    });
  });

  it('checks the range in canonical units', () => {
    expect(measurementOf({ parameter: 'voltage_v', value: 0.23, unit: 'kV' })).toMatchObject({
      value: { value: 230, outOfRange: false, quality: 'good' },
    });
    expect(measurementOf({ parameter: 'voltage_v', value: 11, unit: 'kV' })).toMatchObject({
      value: { value: 11000, outOfRange: true, quality: 'questionable' },
    });
  });

  it('marks an out-of-range value questionable but keeps a stated bad quality', () => {
    expect(
      measurementOf({ parameter: 'voltage_v', value: 400, quality: 'estimated' }),
    ).toMatchObject({ value: { outOfRange: true, quality: 'questionable' } });
    expect(measurementOf({ parameter: 'voltage_v', value: 400, quality: 'bad' })).toMatchObject({
      value: { outOfRange: true, quality: 'bad' },
    });
  });

  it("applies the meter's range overrides", () => {
    const overrides = { voltage_v: { min: 100, max: 130 } };
    expect(measurementOf({ parameter: 'voltage_v', value: 120 }, overrides)).toMatchObject({
      value: { outOfRange: false, quality: 'good' },
    });
    expect(measurementOf({ parameter: 'voltage_v', value: 230 }, overrides)).toMatchObject({
      value: { outOfRange: true },
    });
  });
});

describe('worseQuality', () => {
  it('orders good < estimated < questionable < bad', () => {
    expect(worseQuality(Quality.Good, Quality.Estimated)).toBe('estimated');
    expect(worseQuality(Quality.Questionable, Quality.Estimated)).toBe('questionable');
    expect(worseQuality(Quality.Questionable, Quality.Bad)).toBe('bad');
    expect(worseQuality(Quality.Good, Quality.Good)).toBe('good');
  });
});
