import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `details` lists each bad field',
  401: 'Missing, invalid or expired credentials',
  403: 'The caller lacks a required scope',
  404: 'Not found (or owned by another organization)',
  409: 'Conflicts with the current state',
  413: 'Payload too large',
  429: 'Too many requests; see Retry-After',
};

/** Documents the error answers a handler can give, all in the one error shape. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}
