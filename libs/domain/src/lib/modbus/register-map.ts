import { PARAMETERS, type Parameter } from '@gridwatch/contracts';
import { CANONICAL_UNITS, normaliseUnit } from '../units';
import {
  ENDIANNESSES,
  REGISTER_TYPES,
  registerCount,
  type Endianness,
  type RegisterType,
} from './register-decoding';

/** Read Holding Registers (3) or Read Input Registers (4). */
export const READ_FUNCTION_CODES = [3, 4] as const;
export type ReadFunctionCode = (typeof READ_FUNCTION_CODES)[number];

/** Modbus caps one read of registers at 125 (a 250-byte PDU). */
export const MAX_REGISTERS_PER_READ = 125;
/** The most unmapped registers a map may let one read span. */
export const MAX_GAP = 64;

/** Where one parameter of a meter lives and how to turn its registers into a value. */
export interface RegisterDefinition {
  parameter: Parameter;
  functionCode: ReadFunctionCode;
  /** Zero-based protocol address (register 30001 or 40001 of a data sheet is address 0). */
  address: number;
  type: RegisterType;
  wordOrder: Endianness;
  byteOrder: Endianness;
  /** value = raw x scale, e.g. 0.1 for a register in tenths. */
  scale: number;
  /** The unit of the scaled value; ingest converts it to the parameter's canonical unit. */
  unit: string;
}

/** A meter model's registers, with everything resolved. */
export interface RegisterMap {
  name: string;
  /**
   * Unmapped registers a single read may span to join its neighbours: 0 reads only contiguous
   * registers (safe for any device); more only for devices known to answer over their gaps.
   */
  maxGap: number;
  registers: RegisterDefinition[];
}

/** One problem in a register map document, at a JSON path such as `registers[2].type`. */
export interface RegisterMapError {
  path: string;
  message: string;
}

export type RegisterMapResolution =
  { ok: true; map: RegisterMap } | { ok: false; errors: RegisterMapError[] };

const MAP_KEYS = ['name', 'description', 'functionCode', 'wordOrder', 'byteOrder', 'maxGap'];
const REGISTER_KEYS = [
  'parameter',
  'functionCode',
  'address',
  'type',
  'wordOrder',
  'byteOrder',
  'scale',
  'unit',
  'description',
];

interface MapDefaults {
  functionCode?: ReadFunctionCode;
  wordOrder: Endianness;
  byteOrder: Endianness;
}

/**
 * Checks a custom register map as a meter stores it, naming every problem by its path:
 *
 *   { "functionCode": 4, "wordOrder": "big", "maxGap": 0,
 *     "registers": [{ "parameter": "power_w", "address": 52, "type": "float32", "unit": "W" }] }
 *
 * functionCode, wordOrder and byteOrder may be set once for the map and overridden per register;
 * scale defaults to 1 and unit to the parameter's canonical unit. One register per parameter.
 */
export function validateRegisterMap(document: unknown): RegisterMapResolution {
  const errors: RegisterMapError[] = [];
  if (!isRecord(document)) {
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  }
  unknownKeys(document, [...MAP_KEYS, 'registers'], '', errors);
  const defaults: MapDefaults = {
    functionCode: optionalOneOf(document, 'functionCode', READ_FUNCTION_CODES, '', errors),
    wordOrder: optionalOneOf(document, 'wordOrder', ENDIANNESSES, '', errors) ?? 'big',
    byteOrder: optionalOneOf(document, 'byteOrder', ENDIANNESSES, '', errors) ?? 'big',
  };
  const maxGap = optionalInteger(document, 'maxGap', 0, MAX_GAP, '', errors) ?? 0;
  const name = document['name'] === undefined ? 'custom' : document['name'];
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) {
    errors.push({ path: 'name', message: 'must be a string of 1 to 100 characters' });
  }
  if (document['description'] !== undefined && typeof document['description'] !== 'string') {
    errors.push({ path: 'description', message: 'must be a string' });
  }
  const registers = registersOf(document['registers'], defaults, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, map: { name: name as string, maxGap, registers } };
}

function registersOf(
  value: unknown,
  defaults: MapDefaults,
  errors: RegisterMapError[],
): RegisterDefinition[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ path: 'registers', message: 'must be a non-empty array' });
    return [];
  }
  if (value.length > PARAMETERS.length) {
    errors.push({
      path: 'registers',
      message: `must hold at most ${PARAMETERS.length} registers, one per parameter`,
    });
    return [];
  }
  const registers: RegisterDefinition[] = [];
  const seen = new Set<Parameter>();
  value.forEach((item, index) => {
    const register = registerOf(item, `registers[${index}]`, defaults, errors);
    if (!register) return;
    if (seen.has(register.parameter)) {
      errors.push({
        path: `registers[${index}].parameter`,
        message: `${register.parameter} is already read by an earlier register`,
      });
    }
    seen.add(register.parameter);
    registers.push(register);
  });
  return registers;
}

function registerOf(
  item: unknown,
  path: string,
  defaults: MapDefaults,
  errors: RegisterMapError[],
): RegisterDefinition | null {
  if (!isRecord(item)) {
    errors.push({ path, message: 'must be a JSON object' });
    return null;
  }
  const before = errors.length;
  unknownKeys(item, REGISTER_KEYS, path, errors);
  const parameter = requiredOneOf(item, 'parameter', PARAMETERS, path, errors);
  const functionCode =
    optionalOneOf(item, 'functionCode', READ_FUNCTION_CODES, path, errors) ?? defaults.functionCode;
  if (functionCode === undefined && item['functionCode'] === undefined) {
    errors.push({ path: `${path}.functionCode`, message: 'must be 3 or 4 (here or for the map)' });
  }
  const type = requiredOneOf(item, 'type', REGISTER_TYPES, path, errors);
  const address = optionalInteger(item, 'address', 0, 0xffff, path, errors);
  if (item['address'] === undefined) {
    errors.push({ path: `${path}.address`, message: 'must be an integer from 0 to 65535' });
  }
  if (type && address !== undefined && address + registerCount(type) - 1 > 0xffff) {
    errors.push({ path: `${path}.address`, message: `leaves no room for a ${type}` });
  }
  const wordOrder = optionalOneOf(item, 'wordOrder', ENDIANNESSES, path, errors);
  const byteOrder = optionalOneOf(item, 'byteOrder', ENDIANNESSES, path, errors);
  const scale = item['scale'] ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale === 0) {
    errors.push({ path: `${path}.scale`, message: 'must be a finite number other than 0' });
  }
  const unit = unitOf(item['unit'], parameter, path, errors);
  if (errors.length > before || !parameter || !type || !functionCode || address === undefined) {
    return null;
  }
  return {
    parameter,
    functionCode,
    address,
    type,
    wordOrder: wordOrder ?? defaults.wordOrder,
    byteOrder: byteOrder ?? defaults.byteOrder,
    scale: scale as number,
    unit: unit ?? CANONICAL_UNITS[parameter],
  };
}

function unitOf(
  unit: unknown,
  parameter: Parameter | undefined,
  path: string,
  errors: RegisterMapError[],
): string | undefined {
  if (unit === undefined) return undefined;
  if (typeof unit !== 'string' || unit.length > 20) {
    errors.push({ path: `${path}.unit`, message: 'must be a string of at most 20 characters' });
    return undefined;
  }
  if (parameter && !normaliseUnit(parameter, 1, unit).ok) {
    errors.push({ path: `${path}.unit`, message: `"${unit}" is not a unit of ${parameter}` });
  }
  return unit;
}

function requiredOneOf<T extends string | number>(
  record: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  path: string,
  errors: RegisterMapError[],
): T | undefined {
  const value = optionalOneOf(record, key, allowed, path, errors);
  if (record[key] === undefined) {
    errors.push({ path: join(path, key), message: `must be one of ${allowed.join(', ')}` });
  }
  return value;
}

function optionalOneOf<T extends string | number>(
  record: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  path: string,
  errors: RegisterMapError[],
): T | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(value)) {
    errors.push({ path: join(path, key), message: `must be one of ${allowed.join(', ')}` });
    return undefined;
  }
  return value as T;
}

function optionalInteger(
  record: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
  path: string,
  errors: RegisterMapError[],
): number | undefined {
  const value = record[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ path: join(path, key), message: `must be an integer from ${min} to ${max}` });
    return undefined;
  }
  return value;
}

function unknownKeys(
  record: Record<string, unknown>,
  known: readonly string[],
  path: string,
  errors: RegisterMapError[],
): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key))
      errors.push({ path: join(path, key), message: 'is not a known field' });
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
