import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { AlertsService } from './alerts.service';
import {
  AlertDetailDto,
  AlertDto,
  AlertFiltersDto,
  AlertNoteDto,
  AlertPageDto,
  BulkAcknowledgeDto,
  BulkAcknowledgeResultDto,
  ListAlertsDto,
} from './dto/alert.dto';

const MOVES =
  'Status active -> acknowledged -> resolved (active -> resolved too); an illegal move answers ' +
  '409 illegal_status_transition with details {from, to, allowed}.';

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({
    summary: "The organization's alerts, newest first, with counts by status and severity",
  })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListAlertsDto) {
    return this.alerts.list(user.organizationId, query);
  }

  @Get('export.csv')
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({ summary: 'The alert history as CSV, streamed (every matching alert)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiErrors(400)
  exportCsv(
    @CurrentUser() user: AuthenticatedUser,
    @Query() filters: AlertFiltersDto,
    @Res() response: Response,
  ) {
    return this.alerts.exportCsv(user.organizationId, filters, response);
  }

  @Post('acknowledge')
  @RequireScopes(Scope.AlertsWrite)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge several alerts',
    description:
      'Active ones are acknowledged; the others (and unknown ids) are listed as skipped.',
  })
  @ApiOkResponse({ type: BulkAcknowledgeResultDto })
  @ApiErrors(400)
  acknowledgeMany(@Actor() actor: RequestActor, @Body() dto: BulkAcknowledgeDto) {
    return this.alerts.acknowledgeMany(actor, dto.ids, dto.note);
  }

  @Get(':id')
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({
    summary: 'One alert with its timeline and delivery log',
    description:
      'Timeline: triggered, repeated, escalated, acknowledged, resolved and each notification sent, skipped or failed.',
  })
  @ApiOkResponse({ type: AlertDetailDto })
  @ApiErrors(400, 'alert_not_found')
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.alerts.get(user.organizationId, id);
  }

  @Post(':id/acknowledge')
  @RequireScopes(Scope.AlertsWrite)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Acknowledge an active alert (stops its escalation)',
    description: MOVES,
  })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, 'alert_not_found', 'illegal_status_transition')
  acknowledge(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AlertNoteDto,
  ) {
    return this.alerts.acknowledge(actor, id, dto.note);
  }

  @Post(':id/resolve')
  @RequireScopes(Scope.AlertsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve an alert by hand', description: MOVES })
  @ApiOkResponse({ type: AlertDto })
  @ApiErrors(400, 'alert_not_found', 'illegal_status_transition')
  resolve(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AlertNoteDto,
  ) {
    return this.alerts.resolve(actor, id, dto.note);
  }
}
