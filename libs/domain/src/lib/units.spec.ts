import { PARAMETERS, Parameter } from '@gridwatch/contracts';
import { CANONICAL_UNITS, normaliseUnit } from './units';

function converted(parameter: Parameter, value: number, unit?: string | null) {
  const result = normaliseUnit(parameter, value, unit);
  if (!result.ok) {
    throw new Error(`expected ${unit} to be a unit of ${parameter}: ${result.message}`);
  }
  return result;
}

describe('normaliseUnit', () => {
  describe('canonical units', () => {
    it('names the stored unit of every parameter', () => {
      expect(CANONICAL_UNITS).toEqual({
        energy_kwh: 'kWh',
        power_w: 'W',
        voltage_v: 'V',
        current_a: 'A',
        power_factor: '',
        frequency_hz: 'Hz',
        temperature_c: '°C',
        water_m3: 'm3',
      });
    });

    it.each(PARAMETERS)(
      'assumes the canonical unit of %s when the unit is missing',
      (parameter) => {
        expect(normaliseUnit(parameter, 42)).toEqual({
          ok: true,
          value: 42,
          unit: CANONICAL_UNITS[parameter],
        });
        expect(normaliseUnit(parameter, 42, null)).toEqual(normaliseUnit(parameter, 42));
        expect(normaliseUnit(parameter, 42, '  ')).toEqual(normaliseUnit(parameter, 42));
      },
    );

    it.each(PARAMETERS.filter((parameter) => CANONICAL_UNITS[parameter] !== ''))(
      'leaves a %s value given in its canonical unit untouched',
      (parameter) => {
        expect(converted(parameter, 12.5, CANONICAL_UNITS[parameter]).value).toBe(12.5);
      },
    );
  });

  describe('energy', () => {
    it('converts Wh to kWh exactly', () => {
      expect(converted(Parameter.EnergyKwh, 1500, 'Wh')).toEqual({
        ok: true,
        value: 1.5,
        unit: 'kWh',
      });
    });

    it('converts MWh to kWh', () => {
      expect(converted(Parameter.EnergyKwh, 1.25, 'MWh').value).toBe(1250);
    });

    it('reads kWh case-insensitively', () => {
      for (const unit of ['kwh', 'KWH', 'KWh', 'kWH']) {
        expect(converted(Parameter.EnergyKwh, 7, unit).value).toBe(7);
      }
    });

    it('refuses mWh rather than guessing it meant MWh', () => {
      expect(normaliseUnit(Parameter.EnergyKwh, 1, 'mWh')).toMatchObject({
        ok: false,
        error: 'unknown_unit',
      });
    });

    it('refuses a power unit given for energy', () => {
      expect(normaliseUnit(Parameter.EnergyKwh, 1, 'kW').ok).toBe(false);
    });
  });

  describe('power', () => {
    it('converts kW and MW to W', () => {
      expect(converted(Parameter.PowerW, 2.5, 'kW').value).toBe(2500);
      expect(converted(Parameter.PowerW, 0.75, 'MW').value).toBe(750_000);
    });

    it('keeps the sign of exported (negative) power', () => {
      expect(converted(Parameter.PowerW, -3, 'kW').value).toBe(-3000);
    });

    it('reads w and KW regardless of case', () => {
      expect(converted(Parameter.PowerW, 5, 'w').value).toBe(5);
      expect(converted(Parameter.PowerW, 5, 'KW').value).toBe(5000);
    });

    it('refuses mw because milliwatts are not accepted and megawatts are spelled MW', () => {
      expect(normaliseUnit(Parameter.PowerW, 5, 'mw').ok).toBe(false);
      expect(normaliseUnit(Parameter.PowerW, 5, 'mW').ok).toBe(false);
    });

    it('refuses an energy unit given for power', () => {
      expect(normaliseUnit(Parameter.PowerW, 5, 'kWh').ok).toBe(false);
    });
  });

  describe('voltage', () => {
    it('converts kV and mV to V', () => {
      expect(converted(Parameter.VoltageV, 11, 'kV').value).toBe(11_000);
      expect(converted(Parameter.VoltageV, 230_000, 'mV').value).toBe(230);
    });

    it('reads lower-case v and mv', () => {
      expect(converted(Parameter.VoltageV, 230, 'v').value).toBe(230);
      expect(converted(Parameter.VoltageV, 500, 'mv').value).toBe(0.5);
    });

    it('refuses MV rather than reading megavolts as millivolts', () => {
      expect(normaliseUnit(Parameter.VoltageV, 1, 'MV').ok).toBe(false);
    });
  });

  describe('current', () => {
    it('converts mA and kA to A', () => {
      expect(converted(Parameter.CurrentA, 250, 'mA').value).toBe(0.25);
      expect(converted(Parameter.CurrentA, 1.2, 'kA').value).toBe(1200);
    });

    it('refuses MA rather than reading megaamps as milliamps', () => {
      expect(normaliseUnit(Parameter.CurrentA, 1, 'MA').ok).toBe(false);
    });

    it('refuses amp-hours', () => {
      expect(normaliseUnit(Parameter.CurrentA, 1, 'Ah').ok).toBe(false);
    });
  });

  describe('power factor', () => {
    it('accepts pf in any case and answers the unitless canonical unit', () => {
      expect(converted(Parameter.PowerFactor, 0.95, 'pf')).toEqual({
        ok: true,
        value: 0.95,
        unit: '',
      });
      expect(converted(Parameter.PowerFactor, 0.95, 'PF').value).toBe(0.95);
    });

    it('accepts an empty unit', () => {
      expect(converted(Parameter.PowerFactor, 0.9, '').unit).toBe('');
    });

    it('refuses a percentage unit', () => {
      expect(normaliseUnit(Parameter.PowerFactor, 95, '%').ok).toBe(false);
    });
  });

  describe('frequency', () => {
    it('converts kHz to Hz', () => {
      expect(converted(Parameter.FrequencyHz, 0.05, 'kHz').value).toBeCloseTo(50, 10);
    });

    it('reads hz and HZ', () => {
      expect(converted(Parameter.FrequencyHz, 50, 'hz').value).toBe(50);
      expect(converted(Parameter.FrequencyHz, 60, 'HZ').value).toBe(60);
    });

    it('refuses MHz', () => {
      expect(normaliseUnit(Parameter.FrequencyHz, 50, 'MHz').ok).toBe(false);
    });
  });

  describe('temperature', () => {
    it.each(['C', 'c', '°C', '°c', 'degC', 'DEGC', '℃', 'celsius'])(
      'reads %s as Celsius',
      (unit) => {
        expect(converted(Parameter.TemperatureC, 21.5, unit)).toEqual({
          ok: true,
          value: 21.5,
          unit: '°C',
        });
      },
    );

    it.each(['F', 'f', '°F', 'degF', '℉'])('converts %s from Fahrenheit', (unit) => {
      expect(converted(Parameter.TemperatureC, 212, unit).value).toBeCloseTo(100, 10);
      expect(converted(Parameter.TemperatureC, 32, unit).value).toBeCloseTo(0, 10);
      expect(converted(Parameter.TemperatureC, -40, unit).value).toBeCloseTo(-40, 10);
    });

    it.each(['K', 'k', 'kelvin'])('converts %s from Kelvin', (unit) => {
      expect(converted(Parameter.TemperatureC, 273.15, unit).value).toBeCloseTo(0, 10);
      expect(converted(Parameter.TemperatureC, 300, unit).value).toBeCloseTo(26.85, 10);
    });

    it('refuses an unknown temperature scale', () => {
      expect(normaliseUnit(Parameter.TemperatureC, 500, 'R').ok).toBe(false);
    });
  });

  describe('water', () => {
    it.each(['m3', 'M3', 'm³'])('reads %s as cubic metres', (unit) => {
      expect(converted(Parameter.WaterM3, 3.5, unit)).toEqual({ ok: true, value: 3.5, unit: 'm3' });
    });

    it.each(['L', 'l', 'litre', 'Litres', 'liter'])('converts %s to cubic metres', (unit) => {
      expect(converted(Parameter.WaterM3, 1500, unit).value).toBe(1.5);
    });

    it('refuses mL because it could be read as millilitres or megalitres', () => {
      expect(normaliseUnit(Parameter.WaterM3, 1, 'mL').ok).toBe(false);
    });
  });

  describe('unknown units', () => {
    it('answers unknown_unit with a message naming the unit and the parameter', () => {
      expect(normaliseUnit(Parameter.VoltageV, 230, 'furlongs')).toEqual({
        ok: false,
        error: 'unknown_unit',
        message: 'unit "furlongs" is not a unit of voltage_v',
      });
    });

    it('does not mistake inherited object keys for units', () => {
      expect(normaliseUnit(Parameter.TemperatureC, 1, 'constructor').ok).toBe(false);
      expect(normaliseUnit(Parameter.PowerW, 1, 'toStringW').ok).toBe(false);
      expect(normaliseUnit(Parameter.PowerW, 1, '__proto__W').ok).toBe(false);
    });

    it('ignores surrounding whitespace', () => {
      expect(converted(Parameter.PowerW, 1, ' kW ').value).toBe(1000);
    });
  });
});
