import {
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { resolveRegisterMap } from '@gridwatch/domain';

/**
 * A meter's `registerMap`: the name of a built-in map, or a custom map the Modbus poller can
 * read (checked by the same `resolveRegisterMap` the poller uses). The message names each
 * problem by its path inside the map, e.g. `registers[0].type must be one of ...`.
 */
@ValidatorConstraint({ name: 'isRegisterMap' })
export class RegisterMapConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return resolveRegisterMap(value).ok;
  }

  defaultMessage(args: ValidationArguments): string {
    const resolution = resolveRegisterMap(args.value);
    if (resolution.ok) return `${args.property} is valid`;
    const problems = resolution.errors.map((error) =>
      error.path ? `${error.path} ${error.message}` : error.message,
    );
    return `${args.property} is not a usable register map: ${problems.join('; ')}`;
  }
}

export function IsRegisterMap(): PropertyDecorator {
  return Validate(RegisterMapConstraint);
}
