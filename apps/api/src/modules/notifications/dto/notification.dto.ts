import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  ALERT_SEVERITIES,
  AlertNotificationEvent,
  type AlertSeverity,
  type NotificationView,
  type UnreadCountView,
} from '@gridwatch/contracts';
import { PageOf, PageQueryDto } from '../../../common/page.dto';

export class NotificationDto implements NotificationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) alertId!: string | null;
  @ApiProperty({ enum: Object.values(AlertNotificationEvent) })
  event!: NotificationView['event'];
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity!: AlertSeverity;
  @ApiProperty() read!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class NotificationPageDto extends PageOf(NotificationDto, 'NotificationPage') {}

export class UnreadCountDto implements UnreadCountView {
  @ApiProperty() unread!: number;
}

export class ReadAllDto {
  @ApiProperty({ description: 'How many notifications were marked read' }) marked!: number;
}

export class ListNotificationsDto extends PickType(PageQueryDto, ['limit', 'cursor'] as const) {
  @ApiPropertyOptional({ type: Boolean, description: 'true: unread only' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}
