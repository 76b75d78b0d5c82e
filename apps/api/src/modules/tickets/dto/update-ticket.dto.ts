import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateIf } from 'class-validator';
import {
  TICKET_MESSAGE_MAX_LENGTH,
  TICKET_PRIORITIES,
  TICKET_SUBJECT_MAX_LENGTH,
  type TicketPriority,
} from '@gridwatch/contracts';

/** Fields a ticket may change; status moves through `POST .../status`. Null unsets a link. */
export class UpdateTicketDto {
  @ApiPropertyOptional({ maxLength: TICKET_SUBJECT_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @Length(1, TICKET_SUBJECT_MAX_LENGTH)
  subject?: string;

  @ApiPropertyOptional({ maxLength: TICKET_MESSAGE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(TICKET_MESSAGE_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({
    enum: TICKET_PRIORITIES,
    description: 'Due times are recomputed from the creation time',
  })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsUUID()
  meterId?: string | null;
}
