import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO4217CurrencyCode,
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
import type { TariffBandRule, TariffDocument, TariffPeriod } from '@gridwatch/contracts';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const BAND_TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export class TariffBandRuleDto implements TariffBandRule {
  @ApiProperty({
    example: [1, 2, 3, 4, 5],
    description: 'ISO weekdays, 1 = Monday',
    type: [Number],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  days!: number[];

  @ApiProperty({ example: '07:30', description: 'Local start on a half hour, inclusive' })
  @Matches(BAND_TIME, { message: '$property must be a time as HH:MM' })
  from!: string;

  @ApiProperty({
    example: '24:00',
    description: 'Local end on a half hour, exclusive; 24:00 allowed',
  })
  @Matches(BAND_TIME, { message: '$property must be a time as HH:MM' })
  to!: string;

  @ApiProperty({ example: 0.3, minimum: 0, description: 'Price per kWh' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  price!: number;

  @ApiPropertyOptional({ example: 'day' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  name?: string;
}

export class TariffPeriodDto implements TariffPeriod {
  @ApiProperty({ example: '2026-01-01', description: 'First local date the prices apply' })
  @Matches(LOCAL_DATE, { message: '$property must be a date as YYYY-MM-DD' })
  validFrom!: string;

  @ApiPropertyOptional({
    example: '2027-01-01',
    description: 'First local date they no longer apply (exclusive); open-ended when absent',
  })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: '$property must be a date as YYYY-MM-DD' })
  validTo?: string;

  @ApiPropertyOptional({ example: 0.24, minimum: 0, description: 'Flat tariffs: price per kWh' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1000)
  price?: number;

  @ApiPropertyOptional({
    type: TariffBandRuleDto,
    isArray: true,
    description: 'Time-of-use tariffs: bands covering each weekday exactly once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7 * 48)
  @ValidateNested({ each: true })
  @Type(() => TariffBandRuleDto)
  bands?: TariffBandRuleDto[];
}

export class TariffDocumentDto implements TariffDocument {
  @ApiProperty({ enum: ['flat', 'time_of_use'], example: 'time_of_use' })
  @IsIn(['flat', 'time_of_use'])
  type!: 'flat' | 'time_of_use';

  @ApiProperty({ example: 'GBP', description: 'ISO 4217 currency code' })
  @IsISO4217CurrencyCode()
  currency!: string;

  @ApiProperty({ example: 0.45, minimum: 0, description: 'Fixed charge per local day' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  standingChargePerDay!: number;

  @ApiProperty({
    type: TariffPeriodDto,
    isArray: true,
    example: [
      {
        validFrom: '2026-01-01',
        validTo: '2026-07-01',
        bands: [
          { days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '07:30', price: 0.12, name: 'night' },
          { days: [1, 2, 3, 4, 5, 6, 7], from: '07:30', to: '24:00', price: 0.3, name: 'day' },
        ],
      },
      {
        validFrom: '2026-07-01',
        bands: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00', price: 0.25 }],
      },
    ],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TariffPeriodDto)
  periods!: TariffPeriodDto[];
}

export class SiteTariffDto extends TariffDocumentDto {
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ example: '2026-12-07T05:30:00.000Z', description: 'When this document was set' })
  updatedAt!: string;
}
