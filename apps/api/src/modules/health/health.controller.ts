import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck } from '@nestjs/terminus';
import { DependencyHealth } from '@gridwatch/server';
import { Public } from '../auth/auth.decorators';

/**
 * `/health/live` and `/health/ready` sit outside `/api/v1` (app.setup excludes them from the
 * prefix) like the transport's; `/api/v1/health` is readiness under its original path.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: DependencyHealth) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  @HealthCheck()
  live() {
    return this.health.live();
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: 503 naming each dependency (database, redis) that is down' })
  @HealthCheck()
  ready() {
    return this.health.ready();
  }

  @Get()
  @Public()
  @ApiOperation({ summary: 'Readiness (the original path; same answer as /health/ready)' })
  @HealthCheck()
  check() {
    return this.health.ready();
  }
}
