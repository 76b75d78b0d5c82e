import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { TICKET_STATUSES, type TicketStatus } from '@gridwatch/contracts';

export class ChangeTicketStatusDto {
  @ApiProperty({ enum: TICKET_STATUSES })
  @IsIn(TICKET_STATUSES)
  status!: TicketStatus;

  @ApiPropertyOptional({
    example: 'CT clamp reseated on site',
    description: 'Kept in the audit trail and the realtime event',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}
