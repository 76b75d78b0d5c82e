import {
  CallHandler,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig, AttemptCounter, DomainException } from '@gridwatch/server';
import { AuthenticatedDevice, DeviceAuthenticator } from '@gridwatch/ingest';

type DeviceRequest = Request & { rawBody?: Buffer; device?: AuthenticatedDevice };

/**
 * Device endpoints: X-Device-ID + X-Device-Secret, or an HMAC of "X-Timestamp.rawBody". Rate
 * limited in Redis (replicas share the counts): per client IP before authenticating, so a flood
 * costs no secret checks, and per device after, so nobody can spend another device's budget.
 */
@Injectable()
export class DeviceAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: DeviceAuthenticator,
    private readonly attempts: AttemptCounter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    const { deviceMaxRequestsPerIp, deviceMaxRequestsPerDevice, deviceRateWindowSeconds } =
      this.config;
    const message = 'Too many device requests; retry after the time in Retry-After';
    await this.attempts.hit(
      'device:ip',
      request.ip ?? 'unknown',
      deviceMaxRequestsPerIp,
      deviceRateWindowSeconds,
      message,
    );
    request.device = await this.authenticator.authenticate({
      deviceId: request.header('x-device-id'),
      secret: request.header('x-device-secret'),
      timestamp: request.header('x-timestamp'),
      signature: request.header('x-signature'),
      body: request.rawBody ?? Buffer.alloc(0),
      ip: request.ip ?? null,
    });
    await this.attempts.hit(
      'device:id',
      request.device.deviceId,
      deviceMaxRequestsPerDevice,
      deviceRateWindowSeconds,
      message,
    );
    return true;
  }
}

export const CurrentDevice = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedDevice =>
    context.switchToHttp().getRequest<DeviceRequest>().device as AuthenticatedDevice,
);

/**
 * When a signed request could not be accepted for a passing reason (503: queue down), forget its
 * signature so the device's retry of the same signed bytes is not refused as a replay.
 */
@Injectable()
export class ForgetSignatureOnOutage implements NestInterceptor {
  constructor(private readonly authenticator: DeviceAuthenticator) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<DeviceRequest>();
    return next.handle().pipe(
      catchError((error: unknown) => {
        const signature = request.header('x-signature');
        const outage = error instanceof DomainException && error.status === 503;
        if (!outage || !signature || !request.device) return throwError(() => error);
        return from(this.authenticator.forgetSignature(request.device.deviceId, signature)).pipe(
          mergeMap(() => throwError(() => error)),
        );
      }),
    );
  }
}
