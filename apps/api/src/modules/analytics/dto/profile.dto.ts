import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import { AnalyticsTargetDto, PeriodQueryDto } from './analytics-query.dto';

export class UsageProfileQueryDto extends AnalyticsTargetDto {
  @ApiPropertyOptional({ enum: ['power_w'], default: 'power_w' })
  @IsOptional()
  @IsIn(['power_w'])
  parameter = 'power_w' as const;
}

export class PeakDemandQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: [15, 30], default: 30, description: 'Demand window, minutes' })
  @IsOptional()
  @Type(() => Number)
  @IsIn([15, 30])
  window: 15 | 30 = 30;
}

export class HourProfileDto {
  @ApiProperty({ example: 8, description: 'Local hour of the day, 0..23' }) hour!: number;
  @ApiProperty({ example: 5400, nullable: true, type: Number, description: 'Mean load, W' })
  average!: number | null;
  @ApiProperty({
    example: 9100,
    nullable: true,
    type: Number,
    description: 'Highest 5-minute load, W',
  })
  peak!: number | null;
}

export class UsageProfileDto {
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ type: HourProfileDto, isArray: true }) all!: HourProfileDto[];
  @ApiProperty({ type: HourProfileDto, isArray: true }) weekdays!: HourProfileDto[];
  @ApiProperty({ type: HourProfileDto, isArray: true }) weekends!: HourProfileDto[];
}

export class EnergyCostSplitDto {
  @ApiProperty({ example: 48 }) energyKwh!: number;
  @ApiProperty({ example: 9.6, nullable: true, type: Number, description: 'null without a tariff' })
  cost!: number | null;
}

export class WasteMeterDto {
  @ApiProperty({ format: 'uuid' }) meterId!: string;
  @ApiProperty({ example: 'Boiler room heater' }) name!: string;
  @ApiProperty({ example: 'heater' }) kind!: string;
  @ApiProperty({ example: 56 }) outOfHoursKwh!: number;
  @ApiProperty({ example: 11.2, nullable: true, type: Number }) outOfHoursCost!: number | null;
  @ApiProperty({ example: 0.5833, description: "Share of the meter's own energy" })
  outOfHoursShare!: number;
}

export class OperatingHoursSplitDto {
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ example: 'GBP', nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ type: EnergyCostSplitDto }) inHours!: EnergyCostSplitDto;
  @ApiProperty({ type: EnergyCostSplitDto }) outOfHours!: EnergyCostSplitDto;
  @ApiProperty({ example: 0.6 }) outOfHoursShare!: number;
  @ApiProperty({ type: WasteMeterDto, isArray: true, description: 'Top 10 by out-of-hours energy' })
  waste!: WasteMeterDto[];
}

export class PeakDemandPeriodDto {
  @ApiProperty({ example: '2026-12-01T00:00:00+00:00' }) start!: string;
  @ApiProperty({ example: '2026-12-02T00:00:00+00:00' }) end!: string;
  @ApiProperty({
    example: 12,
    nullable: true,
    type: Number,
    description: 'Highest window average, kW',
  })
  peakKw!: number | null;
  @ApiProperty({ example: '2026-12-01T17:00:00+00:00', nullable: true, type: String })
  at!: string | null;
}

export class PeakDemandDto {
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ example: 30 }) window!: number;
  @ApiProperty({ type: PeakDemandPeriodDto, isArray: true }) items!: PeakDemandPeriodDto[];
}
