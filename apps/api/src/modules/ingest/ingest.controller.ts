import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  type RawBodyRequest,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Scope } from '@gridwatch/contracts';
import { AuthenticatedDevice, IngestPipeline } from '@gridwatch/ingest';
import { ApiDeviceAuth } from '../../common/api-device-auth.decorator';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, Public, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentDevice, DeviceAuthGuard, ForgetSignatureOnOutage } from './device-auth.guard';
import { BatchDto, FailedJobDto } from './dto/batch.dto';
import {
  DEVICE_SAMPLE_EXAMPLE,
  DeviceSampleDto,
  GATEWAY_BATCH_EXAMPLE,
  GATEWAY_PING_EXAMPLE,
  GatewayBatchDto,
  GatewayPingDto,
  IngestAcceptedDto,
  PingAnswerDto,
} from './dto/device-payloads.dto';
import { IngestService } from './ingest.service';

/** What a device request can be refused for before its body is read. */
const DEVICE_AUTH_ERRORS = [
  'missing_device_credentials',
  'invalid_device_credentials',
  'invalid_timestamp',
  'stale_timestamp',
  'replayed',
] as const;

const DEVICE_AUTH_HELP =
  'Authenticate with X-Device-ID and X-Device-Secret, or X-Device-ID, X-Timestamp (unix seconds) ' +
  'and X-Signature = hex(HMAC-SHA256(secret, timestamp + "." + raw body)) within 300 s; ' +
  'a signature is accepted once.';

/** Device-facing endpoints (device credentials, snake_case) and operator views of the queue. */
@ApiTags('ingest')
@UseInterceptors(ForgetSignatureOnOutage)
@Controller()
export class IngestController {
  constructor(
    private readonly pipeline: IngestPipeline,
    private readonly ingest: IngestService,
  ) {}

  @Post('readings/ingest')
  @Public()
  @UseGuards(DeviceAuthGuard)
  @HttpCode(202)
  @ApiDeviceAuth()
  @ApiOperation({
    summary: "A gateway's batch of readings (up to 5,000); valid items are queued, others listed",
    description: DEVICE_AUTH_HELP,
  })
  @ApiBody({ type: GatewayBatchDto, examples: { batch: { value: GATEWAY_BATCH_EXAMPLE } } })
  @ApiAcceptedResponse({ type: IngestAcceptedDto })
  @ApiErrors(
    ...DEVICE_AUTH_ERRORS,
    'invalid_payload',
    'no_readings_accepted',
    'too_many_readings',
    'service_unavailable',
  )
  ingestBatch(@CurrentDevice() device: AuthenticatedDevice, @Body() body: unknown) {
    return this.pipeline.acceptGatewayBatch(device, body, 'http');
  }

  @Post('ingest')
  @Public()
  @UseGuards(DeviceAuthGuard)
  @HttpCode(202)
  @ApiDeviceAuth()
  @ApiOperation({
    summary: 'One sample from a direct device; power = current x voltage is derived and stored',
    description: DEVICE_AUTH_HELP,
  })
  @ApiBody({ type: DeviceSampleDto, examples: { sample: { value: DEVICE_SAMPLE_EXAMPLE } } })
  @ApiAcceptedResponse({ type: IngestAcceptedDto })
  @ApiErrors(...DEVICE_AUTH_ERRORS, 'invalid_payload', 'invalid_value', 'service_unavailable')
  ingestSample(@CurrentDevice() device: AuthenticatedDevice, @Body() body: unknown) {
    return this.pipeline.acceptDeviceSample(device, body, 'http');
  }

  @Post('gateway/ping')
  @Public()
  @UseGuards(DeviceAuthGuard)
  @HttpCode(200)
  @ApiDeviceAuth()
  @ApiOperation({
    summary: 'Gateway heartbeat with connection details; answers the server time',
    description: DEVICE_AUTH_HELP,
  })
  @ApiBody({ type: GatewayPingDto, examples: { ping: { value: GATEWAY_PING_EXAMPLE } } })
  @ApiOkResponse({ type: PingAnswerDto })
  @ApiErrors(
    ...DEVICE_AUTH_ERRORS,
    'invalid_payload',
    'gateway_serial_mismatch',
    'validation_failed',
    'payload_too_large',
  )
  ping(
    @CurrentDevice() device: AuthenticatedDevice,
    @Body() body: unknown,
    @Req() request: RawBodyRequest<Request>,
  ) {
    return this.ingest.ping(device, body, request.rawBody?.length ?? 0);
  }

  @Get('ingest/batches/:id')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({ summary: 'What became of an accepted batch: processed, duplicates, failed' })
  @ApiOkResponse({ type: BatchDto })
  @ApiErrors(400, 'batch_not_found')
  batch(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.ingest.batch(user.organizationId, id);
  }

  @Get('ingest/failed')
  @RequireScopes(Scope.SettingsRead)
  @ApiOperation({
    summary: 'Ingest jobs that failed every attempt (poison jobs), for this organization',
  })
  @ApiOkResponse({ type: FailedJobDto, isArray: true })
  failed(@CurrentUser() user: AuthenticatedUser) {
    return this.ingest.failedJobs(user.organizationId);
  }

  @Post('ingest/failed/:id/retry')
  @RequireScopes(Scope.SettingsWrite)
  @HttpCode(204)
  @ApiOperation({ summary: 'Put a failed ingest job back on the queue' })
  @ApiNoContentResponse()
  @ApiErrors('job_not_found')
  retry(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.ingest.retry(user.organizationId, id);
  }
}
