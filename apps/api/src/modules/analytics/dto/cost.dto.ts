import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class BandCostDto {
  @ApiProperty({ example: 'night', description: 'Band name, or its hours, or "flat"' })
  band!: string;
  @ApiProperty({ example: 30 }) energyKwh!: number;
  @ApiProperty({ example: 3 }) cost!: number;
}

export class ComparedCostDto {
  @ApiProperty({ example: '2026-11-23T00:00:00Z' }) start!: string;
  @ApiProperty({ example: '2026-11-30T00:00:00Z' }) end!: string;
  @ApiProperty({ example: 180 }) energyKwh!: number;
  @ApiProperty({ example: 41.2 }) cost!: number;
  @ApiProperty({ example: 4.3 }) changeCost!: number;
  @ApiProperty({ example: 10.44, nullable: true, type: Number }) changePercent!: number | null;
}

export class CostPeriodDto {
  @ApiProperty({ example: '2026-11-30T00:00:00+00:00' }) start!: string;
  @ApiProperty({ example: '2026-12-07T00:00:00+00:00' }) end!: string;
  @ApiProperty({ example: 192 }) energyKwh!: number;
  @ApiProperty({ example: 1 }) coverage!: number;
  @ApiProperty({ example: 42, description: 'Energy priced by the band of each half-hour' })
  energyCost!: number;
  @ApiProperty({ example: 3.5, description: 'Standing charge of the local days starting inside' })
  standingCharge!: number;
  @ApiProperty({ example: 45.5, description: 'energyCost + standingCharge' })
  cost!: number;
  @ApiProperty({ type: BandCostDto, isArray: true }) bands!: BandCostDto[];
  @ApiPropertyOptional({ type: ComparedCostDto }) compared?: ComparedCostDto;
}

export class CostDto {
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ example: 'GBP', description: 'ISO 4217' }) currency!: string;
  @ApiProperty({ type: CostPeriodDto, isArray: true }) items!: CostPeriodDto[];
}
