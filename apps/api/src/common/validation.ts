import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from '@gridwatch/contracts';
import { ValidationFailed } from '@gridwatch/server';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The one validation pipe: unknown fields rejected, every bad field listed in `details`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const fields = [...new Set(details.map((detail) => detail.field))];
      return new ValidationFailed(`Invalid request: check ${fields.join(', ')}`, details);
    },
  });
}
