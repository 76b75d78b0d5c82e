import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import {
  TICKET_PRIORITIES,
  TICKET_SORTS,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketSort,
  type TicketStatus,
} from '@gridwatch/contracts';
import { PageQueryDto } from '../../../common/page.dto';

const ASSIGNEE = /^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export class ListTicketsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: TicketStatus;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ description: '`me`, `none` (unassigned) or a user id' })
  @IsOptional()
  @Matches(ASSIGNEE, { message: 'assignee must be me, none or a user id' })
  assignee?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  meterId?: string;

  @ApiPropertyOptional({ description: 'Free text in the subject, description or number' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: TICKET_SORTS,
    default: 'createdAt',
    description: 'dueAt: the next deadline (first response while unanswered, else resolution)',
  })
  @IsOptional()
  @IsIn(TICKET_SORTS)
  sort: TicketSort = 'createdAt';
}
