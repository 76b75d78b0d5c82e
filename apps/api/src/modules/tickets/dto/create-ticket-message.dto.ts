import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { TICKET_MESSAGE_MAX_LENGTH } from '@gridwatch/contracts';

export class CreateTicketMessageDto {
  @ApiProperty({ description: 'Plain text', minLength: 1, maxLength: TICKET_MESSAGE_MAX_LENGTH })
  @IsString()
  @Length(1, TICKET_MESSAGE_MAX_LENGTH)
  body!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'An internal note: shown only to users with tickets:write',
  })
  @IsOptional()
  @IsBoolean()
  internal?: boolean;
}
