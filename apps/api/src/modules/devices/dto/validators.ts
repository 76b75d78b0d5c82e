import {
  isFQDN,
  isIP,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { PARAMETERS, type Parameter } from '@gridwatch/contracts';
import { minutesOf } from '@gridwatch/domain';

/** "HH:MM", 00:00..23:59. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** "HH:MM", 00:00..24:00: the end of a span may be midnight at the end of the day. */
export const CLOCK_TIME_OR_MIDNIGHT = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/**
 * Optional, but never null: for fields whose column cannot be null. (`@IsOptional` lets null
 * through, which would reach the database as a NOT NULL violation.)
 */
export function IsOptionalNonNull(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}

function rule(
  name: string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message, ...options },
      validator: { validate },
    });
}

/** An IANA time zone name the runtime knows ("Europe/London"), not an offset like "+01:00". */
export function IsIanaTimeZone(): PropertyDecorator {
  return rule(
    'isIanaTimeZone',
    isIanaTimeZone,
    '$property must be an IANA time zone such as Europe/London',
  );
}

/** The runtime's spelling of a valid zone ("europe/london" -> "Europe/London"); anything else as is. */
export function canonicalTimeZone(value: unknown): unknown {
  return isIanaTimeZone(value)
    ? new Intl.DateTimeFormat('en', { timeZone: value as string }).resolvedOptions().timeZone
    : value;
}

export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A host name ("router-7.example.net", "localhost") or an IPv4/IPv6 address. */
export function IsHost(): PropertyDecorator {
  return rule(
    'isHost',
    (value) =>
      typeof value === 'string' &&
      (isIP(value) || isFQDN(value, { require_tld: false, allow_underscores: false })),
    '$property must be a host name or an IP address',
  );
}

/** `close` later than `open` on the same day. */
export function IsAfterField(field: string): PropertyDecorator {
  return rule(
    'isAfterField',
    (value, args) => {
      const start = (args.object as Record<string, unknown>)[field];
      return (
        typeof value !== 'string' ||
        typeof start !== 'string' ||
        !CLOCK_TIME.test(start) ||
        minutesOf(value) > minutesOf(start)
      );
    },
    `$property must be later than ${field}`,
  );
}

/** `{[parameter]: {min?, max?}}` with known parameters, finite numbers and min <= max. */
export function IsRangeOverrides(): PropertyDecorator {
  return rule(
    'isRangeOverrides',
    (value) =>
      isPlainObject(value) &&
      Object.entries(value).every(([key, range]) => isRangeOverride(key, range)),
    `$property must map parameters (${PARAMETERS.join(', ')}) to {min?, max?} with min <= max`,
  );
}

function isRangeOverride(parameter: string, range: unknown): boolean {
  if (!PARAMETERS.includes(parameter as Parameter) || !isPlainObject(range)) return false;
  const keys = Object.keys(range);
  if (keys.length === 0 || keys.some((key) => key !== 'min' && key !== 'max')) return false;
  const { min, max } = range as { min?: unknown; max?: unknown };
  const finite = (bound: unknown) =>
    bound === undefined || (typeof bound === 'number' && Number.isFinite(bound));
  if (!finite(min) || !finite(max)) return false;
  return min === undefined || max === undefined || (min as number) <= (max as number);
}

/** Caps free-form JSON (metadata, custom register maps) so one row cannot grow without bound. */
export function MaxJsonBytes(limit: number): PropertyDecorator {
  return rule(
    'maxJsonBytes',
    (value) => value === undefined || Buffer.byteLength(JSON.stringify(value) ?? '') <= limit,
    `$property must be at most ${limit} bytes as JSON`,
  );
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
