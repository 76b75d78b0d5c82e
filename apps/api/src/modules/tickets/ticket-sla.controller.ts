import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { TicketSlaPolicyDto } from './dto/ticket-sla.dto';
import { TicketSlaService } from './ticket-sla.service';

@ApiTags('tickets')
@Controller('settings/ticket-sla')
export class TicketSlaController {
  constructor(private readonly sla: TicketSlaService) {}

  @Get()
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({ summary: 'Minutes to first response and to resolution, per priority' })
  @ApiOkResponse({ type: TicketSlaPolicyDto })
  get(@CurrentUser() user: AuthenticatedUser) {
    return this.sla.policy(user.organizationId);
  }

  @Put()
  @RequireScopes(Scope.SettingsWrite)
  @ApiOperation({
    summary: 'Replace the SLA targets (every priority)',
    description: 'Applies to tickets opened or re-prioritised afterwards. Audited.',
  })
  @ApiOkResponse({ type: TicketSlaPolicyDto })
  @ApiErrors(400)
  update(@Actor() actor: RequestActor, @Body() dto: TicketSlaPolicyDto) {
    return this.sla.update(actor, dto);
  }
}
