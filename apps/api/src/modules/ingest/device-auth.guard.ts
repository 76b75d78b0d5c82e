import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AuthenticatedDevice, DeviceAuthenticator } from '@gridwatch/server';

type DeviceRequest = Request & { rawBody?: Buffer; device?: AuthenticatedDevice };

/** Device endpoints: X-Device-ID + X-Device-Secret, or an HMAC of "X-Timestamp.rawBody". */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(private readonly authenticator: DeviceAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    request.device = await this.authenticator.authenticate({
      deviceId: request.header('x-device-id'),
      secret: request.header('x-device-secret'),
      timestamp: request.header('x-timestamp'),
      signature: request.header('x-signature'),
      body: request.rawBody ?? Buffer.alloc(0),
      ip: request.ip ?? null,
    });
    return true;
  }
}

export const CurrentDevice = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedDevice =>
    context.switchToHttp().getRequest<DeviceRequest>().device as AuthenticatedDevice,
);
