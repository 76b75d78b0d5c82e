import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import {
  ListNotificationsDto,
  NotificationDto,
  NotificationPageDto,
  ReadAllDto,
  UnreadCountDto,
} from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({ summary: "The caller's in-app notifications, newest first" })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListNotificationsDto) {
    return this.notifications.list(user.id, query);
  }

  @Get('unread-count')
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({ summary: "How many of the caller's notifications are unread" })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentUser() user: AuthenticatedUser) {
    return this.notifications.unreadCount(user.id);
  }

  @Post('read-all')
  @RequireScopes(Scope.AlertsRead)
  @HttpCode(200)
  @ApiOperation({ summary: "Mark every one of the caller's notifications read" })
  @ApiOkResponse({ type: ReadAllDto })
  readAll(@CurrentUser() user: AuthenticatedUser) {
    return this.notifications.readAll(user.id);
  }

  @Post(':id/read')
  @RequireScopes(Scope.AlertsRead)
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one notification read (idempotent)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors(400, 'notification_not_found')
  read(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.read(user.id, id);
  }
}
