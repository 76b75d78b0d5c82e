import { ApiProperty } from '@nestjs/swagger';
import type { EventView } from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';

export class EventDto implements EventView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'user.login' }) type!: string;
  @ApiProperty({ enum: ['user', 'device', 'system'] }) actorType!: 'user' | 'device' | 'system';
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectType!: string | null;
  @ApiProperty({ nullable: true, type: String }) subjectId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class EventPageDto extends PageOf(EventDto, 'EventPage') {}
