import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ALERT_CONDITIONS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  AlertEventKind,
  AlertNotificationEvent,
  AlertResolution,
  DeliveryStatus,
  NOTIFICATION_CHANNELS,
  PARAMETERS,
  type AlertCondition,
  type AlertCounts,
  type AlertDetailView,
  type AlertSeverity,
  type AlertStatus,
  type AlertTimelineEntry,
  type AlertView,
  type BulkAcknowledgeResult,
  type NotificationDeliveryView,
  type Parameter,
} from '@gridwatch/contracts';
import { PageOf, PageQueryDto } from '../../../common/page.dto';

const WITH_OFFSET = /T.*(Z|[+-]\d{2}:\d{2})$/;

export class AlertDto implements AlertView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null: rule deleted' })
  ruleId!: string | null;
  @ApiProperty() ruleName!: string;
  @ApiProperty({ format: 'uuid' }) meterId!: string;
  @ApiProperty() meterName!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ enum: ALERT_CONDITIONS }) condition!: AlertCondition;
  @ApiProperty({ enum: PARAMETERS, nullable: true, type: String }) parameter!: Parameter | null;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity!: AlertSeverity;
  @ApiProperty({ enum: ALERT_STATUSES }) status!: AlertStatus;
  @ApiProperty() title!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: Number }) threshold!: number | null;
  @ApiProperty({ nullable: true, type: Number }) firstValue!: number | null;
  @ApiProperty({ nullable: true, type: Number }) lastValue!: number | null;
  @ApiProperty({ description: 'How often the condition was met while open' }) occurrences!: number;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ format: 'date-time' }) triggeredAt!: string;
  @ApiProperty({ format: 'date-time' }) lastTriggeredAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  acknowledgedAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) acknowledgedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgeNote!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null when auto' })
  resolvedBy!: string | null;
  @ApiProperty({ enum: Object.values(AlertResolution), nullable: true, type: String })
  resolution!: AlertView['resolution'];
  @ApiProperty({ nullable: true, type: String }) resolveNote!: string | null;
}

export class AlertTimelineEntryDto implements AlertTimelineEntry {
  @ApiProperty({ enum: Object.values(AlertEventKind) }) kind!: AlertTimelineEntry['kind'];
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class NotificationDeliveryDto implements NotificationDeliveryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: NotificationDeliveryView['channel'];
  @ApiProperty({ enum: Object.values(AlertNotificationEvent) })
  event!: NotificationDeliveryView['event'];
  @ApiProperty({ description: 'User id, e-mail address or webhook URL' }) target!: string;
  @ApiProperty({ enum: Object.values(DeliveryStatus) }) status!: NotificationDeliveryView['status'];
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt!: string | null;
}

export class AlertDetailDto extends AlertDto implements AlertDetailView {
  @ApiProperty({ type: [AlertTimelineEntryDto] }) timeline!: AlertTimelineEntryDto[];
  @ApiProperty({ type: [NotificationDeliveryDto], description: 'The delivery log' })
  deliveries!: NotificationDeliveryDto[];
}

class AlertCountsDto implements AlertCounts {
  @ApiProperty({ example: { active: 2, acknowledged: 1, resolved: 7 } })
  byStatus!: AlertCounts['byStatus'];
  @ApiProperty({ example: { info: 0, warning: 6, error: 1, critical: 3 } })
  bySeverity!: AlertCounts['bySeverity'];
}

export class AlertPageDto extends PageOf(AlertDto, 'AlertPage') {
  @ApiProperty({
    type: AlertCountsDto,
    description: 'Counts under every filter except status and severity',
  })
  counts!: AlertCountsDto;
}

/** Filters of the alert list and its CSV export. */
export class AlertFiltersDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_SEVERITIES })
  @IsOptional()
  @IsIn(ALERT_SEVERITIES)
  severity?: AlertSeverity;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  meterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ruleId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Triggered at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'from must be an RFC 3339 timestamp with an offset' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Triggered before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(WITH_OFFSET, { message: 'to must be an RFC 3339 timestamp with an offset' })
  to?: string;
}

export class ListAlertsDto extends IntersectionType(
  AlertFiltersDto,
  PickType(PageQueryDto, ['limit', 'cursor'] as const),
) {}

export class AlertNoteDto {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class BulkAcknowledgeDto extends AlertNoteDto {
  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids!: string[];
}

export class BulkAcknowledgeResultDto implements BulkAcknowledgeResult {
  @ApiProperty({ type: [String], format: 'uuid' }) acknowledged!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Not active, or not found' })
  skipped!: string[];
}
