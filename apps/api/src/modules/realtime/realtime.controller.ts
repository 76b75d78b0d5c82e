import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { RequireScopes } from '../auth/auth.decorators';
import { RealtimeMetricsDto } from './dto/realtime-metrics.dto';
import { RealtimeMetrics } from './realtime-metrics';

@ApiTags('realtime')
@Controller('realtime')
export class RealtimeController {
  constructor(private readonly metrics: RealtimeMetrics) {}

  @Get('metrics')
  @RequireScopes(Scope.SettingsRead)
  @ApiOperation({
    summary: 'WebSocket counters of the answering API instance',
    description:
      'Live updates use socket.io on namespace `/realtime` (see docs/realtime.md): connect with ' +
      '`auth: {token: <access JWT>}`, then emit `subscribe` with `{kind: "organization" | "site" | ' +
      '"meter", id}`. Events: reading.received, device.status_changed, gateway.status_changed.',
  })
  @ApiOkResponse({ type: RealtimeMetricsDto })
  snapshot(): RealtimeMetricsDto {
    return this.metrics.snapshot();
  }
}
