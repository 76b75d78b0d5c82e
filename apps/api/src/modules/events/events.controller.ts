import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { EventPageDto } from './dto/event.dto';
import { ListEventsDto } from './dto/list-events.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @RequireScopes(Scope.SettingsRead)
  @ApiOperation({ summary: "The audit trail of the caller's organization, newest first" })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListEventsDto) {
    return this.events.list(user.organizationId, query);
  }
}
