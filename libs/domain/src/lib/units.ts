import { IngestErrorCode, Parameter } from '@gridwatch/contracts';

/** The unit each parameter is stored in; power factor is unitless. */
export const CANONICAL_UNITS: Readonly<Record<Parameter, string>> = {
  [Parameter.EnergyKwh]: 'kWh',
  [Parameter.PowerW]: 'W',
  [Parameter.VoltageV]: 'V',
  [Parameter.CurrentA]: 'A',
  [Parameter.PowerFactor]: '',
  [Parameter.FrequencyHz]: 'Hz',
  [Parameter.TemperatureC]: '°C',
  [Parameter.WaterM3]: 'm3',
};

export type UnitNormalisation =
  | { ok: true; value: number; unit: string }
  | { ok: false; error: typeof IngestErrorCode.UnknownUnit; message: string };

type Conversion = (value: number) => number;

/** A unit symbol that takes SI prefixes, e.g. Wh with '', k and M. */
interface PrefixedUnits {
  kind: 'prefixed';
  /** Lower-case symbol; the symbol itself is matched case-insensitively. */
  symbol: string;
  /** Accepted prefixes with their power of ten. */
  prefixes: Readonly<Record<string, number>>;
  /** Power of ten of the canonical unit relative to the bare symbol (kWh: 3). */
  canonicalExponent: number;
}

/** Units named outright, keyed by their lower-case spelling. */
interface NamedUnits {
  kind: 'named';
  names: Readonly<Record<string, Conversion>>;
}

const same: Conversion = (value) => value;
const fromFahrenheit: Conversion = (value) => ((value - 32) * 5) / 9;
const fromKelvin: Conversion = (value) => value - 273.15;
const fromLitres: Conversion = (value) => value / 1000;

const UNITS: Readonly<Record<Parameter, PrefixedUnits | NamedUnits>> = {
  [Parameter.EnergyKwh]: {
    kind: 'prefixed',
    symbol: 'wh',
    prefixes: { '': 0, k: 3, M: 6 },
    canonicalExponent: 3,
  },
  [Parameter.PowerW]: {
    kind: 'prefixed',
    symbol: 'w',
    prefixes: { '': 0, k: 3, M: 6 },
    canonicalExponent: 0,
  },
  [Parameter.VoltageV]: {
    kind: 'prefixed',
    symbol: 'v',
    prefixes: { '': 0, k: 3, m: -3 },
    canonicalExponent: 0,
  },
  [Parameter.CurrentA]: {
    kind: 'prefixed',
    symbol: 'a',
    prefixes: { '': 0, k: 3, m: -3 },
    canonicalExponent: 0,
  },
  [Parameter.FrequencyHz]: {
    kind: 'prefixed',
    symbol: 'hz',
    prefixes: { '': 0, k: 3 },
    canonicalExponent: 0,
  },
  [Parameter.PowerFactor]: { kind: 'named', names: { pf: same } },
  [Parameter.TemperatureC]: {
    kind: 'named',
    names: {
      c: same,
      '°c': same,
      ºc: same,
      '℃': same,
      degc: same,
      celsius: same,
      f: fromFahrenheit,
      '°f': fromFahrenheit,
      ºf: fromFahrenheit,
      '℉': fromFahrenheit,
      degf: fromFahrenheit,
      fahrenheit: fromFahrenheit,
      k: fromKelvin,
      kelvin: fromKelvin,
    },
  },
  [Parameter.WaterM3]: {
    kind: 'named',
    names: {
      m3: same,
      'm³': same,
      l: fromLitres,
      litre: fromLitres,
      litres: fromLitres,
      liter: fromLitres,
      liters: fromLitres,
    },
  },
};

/**
 * Converts `value`, given in `unit`, to the parameter's canonical unit. A missing or blank unit
 * means the canonical unit. Symbols are case-insensitive, except that an SI prefix m (milli) and
 * M (mega) are told apart by case, so "MV" is never read as millivolts.
 */
export function normaliseUnit(
  parameter: Parameter,
  value: number,
  unit?: string | null,
): UnitNormalisation {
  const canonicalUnit = CANONICAL_UNITS[parameter];
  const spelled = unit?.trim() ?? '';
  if (spelled === '') {
    return { ok: true, value, unit: canonicalUnit };
  }
  const conversion = conversionFor(UNITS[parameter], spelled);
  if (!conversion) {
    return {
      ok: false,
      error: IngestErrorCode.UnknownUnit,
      message: `unit "${spelled}" is not a unit of ${parameter}`,
    };
  }
  return { ok: true, value: conversion(value), unit: canonicalUnit };
}

function conversionFor(units: PrefixedUnits | NamedUnits, spelled: string): Conversion | null {
  return units.kind === 'named'
    ? (ownEntry(units.names, spelled.toLowerCase()) ?? null)
    : prefixedConversion(units, spelled);
}

function prefixedConversion(units: PrefixedUnits, spelled: string): Conversion | null {
  if (!spelled.toLowerCase().endsWith(units.symbol)) {
    return null;
  }
  const prefix = spelled.slice(0, spelled.length - units.symbol.length);
  // "K" for kilo is a common misspelling with no other meaning here.
  const exponent = ownEntry(units.prefixes, prefix === 'K' ? 'k' : prefix);
  if (exponent === undefined) {
    return null;
  }
  return (value) => scaleByPowerOfTen(value, exponent - units.canonicalExponent);
}

/** Divides for negative powers so that e.g. 1500 Wh is exactly 1.5 kWh. */
function scaleByPowerOfTen(value: number, exponent: number): number {
  return exponent >= 0 ? value * 10 ** exponent : value / 10 ** -exponent;
}

/** Looks a spelling up without reaching inherited keys such as "constructor". */
function ownEntry<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
