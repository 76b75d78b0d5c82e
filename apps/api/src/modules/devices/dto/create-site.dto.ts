import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  canonicalTimeZone,
  CLOCK_TIME,
  CLOCK_TIME_OR_MIDNIGHT,
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
}
