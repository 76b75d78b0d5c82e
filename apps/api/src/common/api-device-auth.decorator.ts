import { applyDecorators } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';

/** The names under which `buildOpenApi` declares the device headers as security schemes. */
export const DeviceSecurityScheme = {
  DeviceId: 'device-id',
  DeviceSecret: 'device-secret',
  Timestamp: 'device-timestamp',
  Signature: 'device-signature',
} as const;

/**
 * Device endpoints: X-Device-ID together with X-Device-Secret, or (the alternative) X-Device-ID,
 * X-Timestamp and X-Signature. Each requirement object lists headers that are all required.
 */
export function ApiDeviceAuth(): MethodDecorator & ClassDecorator {
  const { DeviceId, DeviceSecret, Timestamp, Signature } = DeviceSecurityScheme;
  return applyDecorators(
    ApiSecurity({ [DeviceId]: [], [Timestamp]: [], [Signature]: [] }),
    ApiSecurity({ [DeviceId]: [], [DeviceSecret]: [] }),
  );
}
