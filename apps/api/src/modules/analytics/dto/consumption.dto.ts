import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ComparedPeriodDto {
  @ApiProperty({ example: '2026-11-23T00:00:00Z' }) start!: string;
  @ApiProperty({ example: '2026-11-24T00:00:00Z' }) end!: string;
  @ApiProperty({ example: 118.2 }) energyKwh!: number;
  @ApiProperty({ example: 1 }) coverage!: number;
  @ApiProperty({ example: 5.3, description: 'This period minus the compared one' })
  changeKwh!: number;
  @ApiProperty({ example: 4.48, nullable: true, type: Number, description: 'null when it was 0' })
  changePercent!: number | null;
}

export class EnergyPeriodDto {
  @ApiProperty({ example: '2026-03-29T00:00:00+00:00', description: 'Local period start' })
  start!: string;
  @ApiProperty({ example: '2026-03-30T00:00:00+01:00', description: 'Local period end' })
  end!: string;
  @ApiProperty({ example: 123.5 }) energyKwh!: number;
  @ApiProperty({ example: 0.98, description: 'How complete the data is, 0..1' })
  coverage!: number;
  @ApiPropertyOptional({ type: ComparedPeriodDto }) compared?: ComparedPeriodDto;
}

export class EnergyGroupDto {
  @ApiProperty({ example: 'heater', description: "The meter's id or the kind" })
  key!: string;
  @ApiProperty({ example: 'Boiler room heater' }) label!: string;
  @ApiProperty({ type: EnergyPeriodDto, isArray: true }) items!: EnergyPeriodDto[];
}

export class ConsumptionDto {
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ type: EnergyPeriodDto, isArray: true }) items!: EnergyPeriodDto[];
  @ApiPropertyOptional({ type: EnergyGroupDto, isArray: true }) groups?: EnergyGroupDto[];
}
