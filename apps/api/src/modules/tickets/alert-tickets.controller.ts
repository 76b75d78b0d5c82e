import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, RequireScopes } from '../auth/auth.decorators';
import type { RequestActor } from '../auth/authenticated-user';
import { OpenAlertTicketDto } from './dto/open-alert-ticket.dto';
import { TicketDto } from './dto/ticket.dto';
import { TicketsService } from './tickets.service';

/** Tickets opened from an alert (the alert side of the link lives in the alerts module). */
@ApiTags('tickets')
@Controller('alerts')
export class AlertTicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post(':id/ticket')
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: 'Open a ticket from an alert',
    description:
      "The ticket takes the alert's meter, its title as subject (unless given), a description " +
      'from the alert and the priority from its severity (critical urgent, error high, warning ' +
      'normal, info low) unless given; the alert’s timeline gains ticket_opened. One ticket per ' +
      'alert: a second call answers 409 alert_ticket_exists with details {ticketId, number}.',
  })
  @ApiCreatedResponse({ type: TicketDto })
  @ApiErrors(400, 'alert_not_found', 'invalid_assignee', 'alert_ticket_exists')
  open(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OpenAlertTicketDto,
  ) {
    return this.tickets.openFromAlert(actor, id, dto);
  }
}
