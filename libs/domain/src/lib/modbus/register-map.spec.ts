import { BUILT_IN_REGISTER_MAPS, resolveRegisterMap } from './built-in-register-maps';
import { validateRegisterMap } from './register-map';

describe('validateRegisterMap', () => {
  it('resolves defaults: map-wide function code and orders, scale 1, the canonical unit', () => {
    const result = validateRegisterMap({
      functionCode: 4,
      wordOrder: 'little',
      registers: [
        { parameter: 'power_w', address: 52, type: 'float32' },
        { parameter: 'voltage_v', address: 0, type: 'int32', functionCode: 3, scale: 0.1 },
      ],
    });
    expect(result).toEqual({
      ok: true,
      map: {
        name: 'custom',
        maxGap: 0,
        registers: [
          {
            parameter: 'power_w',
            functionCode: 4,
            address: 52,
            type: 'float32',
            wordOrder: 'little',
            byteOrder: 'big',
            scale: 1,
            unit: 'W',
          },
          {
            parameter: 'voltage_v',
            functionCode: 3,
            address: 0,
            type: 'int32',
            wordOrder: 'little',
            byteOrder: 'big',
            scale: 0.1,
            unit: 'V',
          },
        ],
      },
    });
  });

  it('names every problem by its path', () => {
    const result = validateRegisterMap({
      adress: 1,
      maxGap: 500,
      registers: [
        { parameter: 'power', address: -1, type: 'float', functionCode: 6 },
        { parameter: 'energy_kwh', address: 65535, type: 'float32', functionCode: 3, unit: 'V' },
        { parameter: 'voltage_v', type: 'int16', scale: 0 },
        { parameter: 'energy_kwh', address: 10, type: 'uint32', functionCode: 4 },
        'not an object',
      ],
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((error) => error.path);
    expect(paths).toEqual([
      'adress',
      'maxGap',
      'registers[0].parameter',
      'registers[0].functionCode',
      'registers[0].type',
      'registers[0].address',
      'registers[1].address',
      'registers[1].unit',
      'registers[2].functionCode',
      'registers[2].address',
      'registers[2].scale',
      'registers[4]',
    ]);
  });

  it('refuses two registers for one parameter', () => {
    const result = validateRegisterMap({
      functionCode: 3,
      registers: [
        { parameter: 'power_w', address: 0, type: 'float32' },
        { parameter: 'power_w', address: 2, type: 'float32' },
      ],
    });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'registers[1].parameter', message: expect.stringContaining('already') }],
    });
  });

  it('refuses what is not a map', () => {
    expect(validateRegisterMap(null).ok).toBe(false);
    expect(validateRegisterMap([]).ok).toBe(false);
    expect(validateRegisterMap({ registers: [] })).toEqual({
      ok: false,
      errors: [{ path: 'registers', message: 'must be a non-empty array' }],
    });
  });
});

describe('resolveRegisterMap', () => {
  it('finds built-in maps by name and refuses unknown names', () => {
    expect(resolveRegisterMap('eastron_sdm630')).toEqual({
      ok: true,
      map: BUILT_IN_REGISTER_MAPS['eastron_sdm630'],
    });
    expect(resolveRegisterMap('toString').ok).toBe(false);
    expect(resolveRegisterMap('acme_9000')).toEqual({
      ok: false,
      errors: [{ path: '', message: expect.stringContaining('eastron_sdm630') }],
    });
  });

  it.each(Object.keys(BUILT_IN_REGISTER_MAPS))('ships %s as a valid map', (name) => {
    const builtIn = BUILT_IN_REGISTER_MAPS[name];
    expect(validateRegisterMap(builtIn)).toEqual({ ok: true, map: builtIn });
  });
});
