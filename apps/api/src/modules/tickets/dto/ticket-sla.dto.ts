import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import type { TicketSlaPolicy, TicketSlaTarget } from '@gridwatch/contracts';

const YEAR_MINUTES = 365 * 24 * 60;

export class TicketSlaTargetDto implements TicketSlaTarget {
  @ApiProperty({ minimum: 1, example: 30 })
  @IsInt()
  @Min(1)
  @Max(YEAR_MINUTES)
  firstResponseMinutes!: number;

  @ApiProperty({ minimum: 1, example: 240 })
  @IsInt()
  @Min(1)
  @Max(YEAR_MINUTES)
  resolutionMinutes!: number;
}

/** Targets per priority; every priority is given. */
export class TicketSlaPolicyDto implements TicketSlaPolicy {
  @ApiProperty({ type: TicketSlaTargetDto })
  @ValidateNested()
  @Type(() => TicketSlaTargetDto)
  urgent!: TicketSlaTargetDto;

  @ApiProperty({ type: TicketSlaTargetDto })
  @ValidateNested()
  @Type(() => TicketSlaTargetDto)
  high!: TicketSlaTargetDto;

  @ApiProperty({ type: TicketSlaTargetDto })
  @ValidateNested()
  @Type(() => TicketSlaTargetDto)
  normal!: TicketSlaTargetDto;

  @ApiProperty({ type: TicketSlaTargetDto })
  @ValidateNested()
  @Type(() => TicketSlaTargetDto)
  low!: TicketSlaTargetDto;
}
