import { ApiProperty } from '@nestjs/swagger';
import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type DeviceSnapshotDocument,
  type TicketAttachmentView,
  type TicketMessageView,
  type TicketPriority,
  type TicketSnapshotView,
  type TicketStatus,
  type TicketView,
} from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';

const nullableUuid = { format: 'uuid', nullable: true, type: String } as const;
const nullableTime = { format: 'date-time', nullable: true, type: String } as const;

export class TicketDto implements TicketView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'GW-1042' }) number!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Plain text' }) description!: string;
  @ApiProperty({ enum: TICKET_PRIORITIES }) priority!: TicketPriority;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: TicketStatus;
  @ApiProperty({ format: 'uuid' }) creatorId!: string;
  @ApiProperty(nullableUuid) assigneeId!: string | null;
  @ApiProperty(nullableUuid) meterId!: string | null;
  @ApiProperty(nullableUuid) alertId!: string | null;
  @ApiProperty({ format: 'date-time' }) firstResponseDueAt!: string;
  @ApiProperty({ format: 'date-time' }) resolutionDueAt!: string;
  @ApiProperty(nullableTime) firstResponseAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) firstResponseSeconds!: number | null;
  @ApiProperty(nullableTime) resolvedAt!: string | null;
  @ApiProperty(nullableTime) closedAt!: string | null;
  @ApiProperty({ description: 'Past a due time while open or in progress' }) overdue!: boolean;
  @ApiProperty({ description: "Visible messages from others after the caller's read marker" })
  unreadCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class TicketPageDto extends PageOf(TicketDto, 'TicketPage') {}

export class TicketAttachmentDto implements TicketAttachmentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ example: 'meter-3.png' }) fileName!: string;
  @ApiProperty({ example: 'image/png', description: 'Judged from the bytes' })
  contentType!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'Hex SHA-256 of the content' }) sha256!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TicketMessageDto implements TicketMessageView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'uuid' }) authorId!: string;
  @ApiProperty({ description: 'Plain text: render escaped' }) body!: string;
  @ApiProperty() internal!: boolean;
  @ApiProperty({ type: TicketAttachmentDto, isArray: true }) attachments!: TicketAttachmentDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TicketMessagePageDto extends PageOf(TicketMessageDto, 'TicketMessagePage') {}

export class TicketReadDto {
  @ApiProperty({ format: 'date-time' }) readAt!: string;
}

export class TicketSnapshotDto implements TicketSnapshotView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({ format: 'uuid' }) meterId!: string;
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ format: 'uuid' }) capturedBy!: string;
  @ApiProperty({ format: 'date-time' }) capturedAt!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'schemaVersion 1: meter (status, ...), latestReadings (one per parameter), ' +
      'dataQualityIssues (open, or resolved in the last 7 days), openAlerts (active or ' +
      'acknowledged, newest first), gateway (connection details)',
  })
  document!: DeviceSnapshotDocument;
}

export class TicketSnapshotPageDto extends PageOf(TicketSnapshotDto, 'TicketSnapshotPage') {}
