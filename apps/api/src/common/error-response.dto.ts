import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorResponse } from '@gridwatch/contracts';

export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ description: 'Stable machine-readable code', example: 'meter_not_found' })
  error!: string;

  @ApiProperty({ description: 'Human-readable explanation', example: 'Meter not found' })
  message!: string;

  @ApiPropertyOptional({
    description: 'For validation errors: each bad field with its messages',
    example: [{ field: 'email', messages: ['email must be an email'] }],
  })
  details?: Record<string, unknown>;
}
