import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import {
  TICKET_MESSAGE_MAX_LENGTH,
  TICKET_PRIORITIES,
  TICKET_SUBJECT_MAX_LENGTH,
  type TicketPriority,
} from '@gridwatch/contracts';

export class CreateTicketDto {
  @ApiProperty({
    example: 'Heater meter 3 reads zero since Monday',
    maxLength: TICKET_SUBJECT_MAX_LENGTH,
  })
  @IsString()
  @Length(1, TICKET_SUBJECT_MAX_LENGTH)
  subject!: string;

  @ApiPropertyOptional({ description: 'Plain text', maxLength: TICKET_MESSAGE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(TICKET_MESSAGE_MAX_LENGTH)
  description?: string;

  @ApiPropertyOptional({ enum: TICKET_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(TICKET_PRIORITIES)
  priority?: TicketPriority;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An owner, operator or support user of the organization (else 400)',
  })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A meter of the organization' })
  @IsOptional()
  @IsUUID()
  meterId?: string;
}
