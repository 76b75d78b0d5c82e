import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { Tariff, TariffBand } from '@gridwatch/contracts';
import {
  canonicalTimeZone,
  CLOCK_TIME,
  CLOCK_TIME_OR_MIDNIGHT,
  HasNoOverlappingBands,
  IsAfterField,
  IsIanaTimeZone,
  IsOptionalNonNull,
} from './validators';

export class DayHoursDto {
  @ApiProperty({ example: '08:00', pattern: CLOCK_TIME.source })
  @Matches(CLOCK_TIME, { message: '$property must be a time as HH:MM' })
  open!: string;

  @ApiProperty({ example: '18:00', description: 'Later than open; 24:00 for midnight' })
  @Matches(CLOCK_TIME_OR_MIDNIGHT, { message: '$property must be a time as HH:MM' })
  @IsAfterField('open')
  close!: string;
}

/** Local opening hours per weekday; a missing day is closed. */
export class OperatingHoursDto {
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  mon?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  tue?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  wed?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  thu?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  fri?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  sat?: DayHoursDto;
  @ApiPropertyOptional({ type: DayHoursDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DayHoursDto)
  sun?: DayHoursDto;
}

export class TariffBandDto implements TariffBand {
  @ApiProperty({ example: 'peak' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  name!: string;

  @ApiProperty({ example: '07:00', description: 'Local start, inclusive' })
  @Matches(CLOCK_TIME, { message: '$property must be a time as HH:MM' })
  from!: string;

  @ApiProperty({
    example: '23:00',
    description: 'Local end, exclusive; earlier than from wraps past midnight',
  })
  @Matches(CLOCK_TIME_OR_MIDNIGHT, { message: '$property must be a time as HH:MM' })
  to!: string;

  @ApiProperty({ example: 0.28, minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  pricePerKwh!: number;
}

export class TariffDto implements Tariff {
  @ApiProperty({ example: 'GBP', description: 'ISO 4217 currency code' })
  @IsISO4217CurrencyCode()
  currency!: string;

  @ApiProperty({ enum: ['flat', 'time_of_use'] })
  @IsIn(['flat', 'time_of_use'])
  kind!: 'flat' | 'time_of_use';

  @ApiPropertyOptional({ example: 0.24, minimum: 0, description: 'Required for a flat tariff' })
  @ValidateIf((tariff: TariffDto) => tariff.kind === 'flat')
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  pricePerKwh?: number;

  @ApiPropertyOptional({
    type: TariffBandDto,
    isArray: true,
    description: 'Required for a time-of-use tariff; bands must not overlap',
  })
  @ValidateIf((tariff: TariffDto) => tariff.kind === 'time_of_use')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(48)
  @ValidateNested({ each: true })
  @Type(() => TariffBandDto)
  @HasNoOverlappingBands()
  bands?: TariffBandDto[];
}

export class CreateSiteDto {
  @ApiProperty({ example: 'LDN-HQ', description: 'Unique within the organization' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, {
    message: '$property must be 1-40 letters, digits, dots, dashes or underscores',
  })
  code!: string;

  @ApiProperty({ example: 'London head office' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiProperty({ example: 'Europe/London', description: 'IANA time zone' })
  @Transform(({ value }) => canonicalTimeZone(value))
  @IsIanaTimeZone()
  timezone!: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: '1 Example Street, London' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: -90, maximum: 90 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: -180, maximum: 180 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @ApiPropertyOptional({ type: OperatingHoursDto, description: 'A missing weekday is closed' })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => OperatingHoursDto)
  operatingHours?: OperatingHoursDto;

  @ApiPropertyOptional({ type: TariffDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TariffDto)
  tariff?: TariffDto | null;
}
