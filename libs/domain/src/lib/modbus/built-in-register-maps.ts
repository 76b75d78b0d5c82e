import type { RegisterDefinition, RegisterMap, RegisterMapResolution } from './register-map';
import { validateRegisterMap } from './register-map';

type Entry = Omit<RegisterDefinition, 'wordOrder' | 'byteOrder' | 'scale'> &
  Partial<Pick<RegisterDefinition, 'wordOrder' | 'byteOrder' | 'scale'>>;

function map(name: string, maxGap: number, entries: Entry[]): RegisterMap {
  return {
    name,
    maxGap,
    registers: entries.map((entry) => ({
      wordOrder: 'big',
      byteOrder: 'big',
      scale: 1,
      ...entry,
    })),
  };
}

/**
 * Eastron SDM630 (Modbus V2), from Eastron's "SDM630 Modbus protocol" input register table:
 * IEEE 754 float32, high word first, read with function 4. The 3X register number of the table
 * minus 30001 is the address. System totals, not phase 1: one value per parameter.
 */
const EASTRON_SDM630 = map('eastron_sdm630', 16, [
  // 30043 "Average line to neutral volts", V
  { parameter: 'voltage_v', functionCode: 4, address: 0x002a, type: 'float32', unit: 'V' },
  // 30049 "Sum of line currents", A
  { parameter: 'current_a', functionCode: 4, address: 0x0030, type: 'float32', unit: 'A' },
  // 30053 "Total system power", W
  { parameter: 'power_w', functionCode: 4, address: 0x0034, type: 'float32', unit: 'W' },
  // 30063 "Total system power factor"
  { parameter: 'power_factor', functionCode: 4, address: 0x003e, type: 'float32', unit: '' },
  // 30071 "Frequency of supply voltages", Hz
  { parameter: 'frequency_hz', functionCode: 4, address: 0x0046, type: 'float32', unit: 'Hz' },
  // 30073 "Import Wh since last reset", reported in kWh
  { parameter: 'energy_kwh', functionCode: 4, address: 0x0048, type: 'float32', unit: 'kWh' },
]);

/**
 * Schneider Electric iEM3155/iEM3255 (iEM3x55), from the iEM3000 series user manual (DOCA0005EN)
 * "Command interface / Modbus register list": holding registers (function 3), float32 high word
 * first; the manual numbers registers from 1, so the address is the register minus 1. Power
 * factor is left out: register 3084 holds Schneider's four-quadrant encoding (-2..2), not a PF.
 * maxGap 0: the registers lie far apart, and reads across the reserved ranges are not documented.
 */
const SCHNEIDER_IEM3255 = map('schneider_iem3255', 0, [
  // 3010 "Current Avg", A
  { parameter: 'current_a', functionCode: 3, address: 3009, type: 'float32', unit: 'A' },
  // 3036 "Voltage L-N Avg", V
  { parameter: 'voltage_v', functionCode: 3, address: 3035, type: 'float32', unit: 'V' },
  // 3060 "Total Active Power", kW
  { parameter: 'power_w', functionCode: 3, address: 3059, type: 'float32', unit: 'kW' },
  // 3110 "Frequency", Hz
  { parameter: 'frequency_hz', functionCode: 3, address: 3109, type: 'float32', unit: 'Hz' },
  // 45100 "Total Active Energy Import", float32 in kWh (3204 holds the same as INT64 Wh)
  { parameter: 'energy_kwh', functionCode: 3, address: 45099, type: 'float32', unit: 'kWh' },
]);

/**
 * Carlo Gavazzi EM24-DIN, from Carlo Gavazzi's "EM24 communication protocol" register list:
 * INT32 values are sent least significant word first, INT16 values are plain, and every value has
 * a weight (V x10, W x10, PF x1000, Hz x10, kWh x10). Read with function 3 (the EM24 answers 4 alike).
 * The EM24 has no system current register; phase currents are left out.
 */
const CARLO_GAVAZZI_EM24 = map('carlo_gavazzi_em24', 8, [
  // 0x0024 "V L-N sys", V x10
  {
    parameter: 'voltage_v',
    functionCode: 3,
    address: 0x0024,
    type: 'int32',
    wordOrder: 'little',
    scale: 0.1,
    unit: 'V',
  },
  // 0x0028 "W sys", W x10
  {
    parameter: 'power_w',
    functionCode: 3,
    address: 0x0028,
    type: 'int32',
    wordOrder: 'little',
    scale: 0.1,
    unit: 'W',
  },
  // 0x0031 "PF sys", x1000
  {
    parameter: 'power_factor',
    functionCode: 3,
    address: 0x0031,
    type: 'int16',
    scale: 0.001,
    unit: '',
  },
  // 0x0033 "Hz", x10
  {
    parameter: 'frequency_hz',
    functionCode: 3,
    address: 0x0033,
    type: 'uint16',
    scale: 0.1,
    unit: 'Hz',
  },
  // 0x0034 "kWh (+) TOT", kWh x10
  {
    parameter: 'energy_kwh',
    functionCode: 3,
    address: 0x0034,
    type: 'int32',
    wordOrder: 'little',
    scale: 0.1,
    unit: 'kWh',
  },
]);

/** Register maps that ship with GridWatch, by the name a meter's `registerMap` gives. */
export const BUILT_IN_REGISTER_MAPS: Readonly<Record<string, RegisterMap>> = {
  eastron_sdm630: EASTRON_SDM630,
  schneider_iem3255: SCHNEIDER_IEM3255,
  carlo_gavazzi_em24: CARLO_GAVAZZI_EM24,
};

export const BUILT_IN_REGISTER_MAP_NAMES: readonly string[] = Object.keys(BUILT_IN_REGISTER_MAPS);

/**
 * What a meter's `registerMap` column means: a built-in map's name, or a custom map document
 * (checked by `validateRegisterMap`). Anything else is refused with the reason.
 */
export function resolveRegisterMap(value: unknown): RegisterMapResolution {
  if (typeof value === 'string') {
    const builtIn = Object.hasOwn(BUILT_IN_REGISTER_MAPS, value)
      ? BUILT_IN_REGISTER_MAPS[value]
      : undefined;
    return builtIn
      ? { ok: true, map: builtIn }
      : {
          ok: false,
          errors: [
            {
              path: '',
              message: `"${value}" is not a built-in map (${BUILT_IN_REGISTER_MAP_NAMES.join(', ')})`,
            },
          ],
        };
  }
  return validateRegisterMap(value);
}
