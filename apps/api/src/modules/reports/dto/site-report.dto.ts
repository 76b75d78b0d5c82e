import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsUUID,
  Matches,
} from 'class-validator';
import { REPORT_RUN_STATUSES, type ReportRunStatus } from '@gridwatch/contracts';

export const REPORT_PERIODS = ['week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;

export class SiteReportQueryDto {
  @ApiPropertyOptional({ enum: REPORT_PERIODS, default: 'week' })
  @IsOptional()
  @IsIn(REPORT_PERIODS)
  period: ReportPeriod = 'week';

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format: (typeof REPORT_FORMATS)[number] = 'json';

  @ApiPropertyOptional({
    example: '2026-11-30',
    description: 'A local date inside the period; default the last complete one',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date as YYYY-MM-DD' })
  date?: string;
}

export class ReportDayDto {
  @ApiProperty({ example: '2026-11-30' }) date!: string;
  @ApiProperty({ example: 16 }) energyKwh!: number;
  @ApiProperty({ example: 3.7, nullable: true, type: Number }) cost!: number | null;
  @ApiProperty({ example: 1 }) coverage!: number;
}

export class SiteReportDto {
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ example: 'London head office' }) siteName!: string;
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ enum: REPORT_PERIODS }) period!: ReportPeriod;
  @ApiProperty({ example: '2026-11-30T00:00:00+00:00' }) start!: string;
  @ApiProperty({ example: '2026-12-07T00:00:00+00:00' }) end!: string;
  @ApiProperty({ example: 'GBP', nullable: true, type: String }) currency!: string | null;
  @ApiProperty({ example: 112.5 }) energyKwh!: number;
  @ApiProperty({
    example: 31.9,
    nullable: true,
    type: Number,
    description: 'null without a tariff',
  })
  cost!: number | null;
  @ApiProperty({ example: 0.41 }) outOfHoursShare!: number;
  @ApiProperty({ example: 12, nullable: true, type: Number, description: '30-minute peak, kW' })
  peakDemandKw!: number | null;
  @ApiProperty({ example: '2026-12-01T17:00:00+00:00', nullable: true, type: String })
  peakDemandAt!: string | null;
  @ApiProperty({
    example: 3,
    description: "Alerts raised at the site's meters in the period (by when they triggered)",
  })
  alertsRaised!: number;
  @ApiProperty({ example: 0.99, description: 'Data coverage of the period, 0..1' })
  coverage!: number;
  @ApiProperty({ type: ReportDayDto, isArray: true }) days!: ReportDayDto[];
}

export class CreateReportSubscriptionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  siteId!: string;

  @ApiProperty({ enum: REPORT_PERIODS, example: 'week' })
  @IsIn(REPORT_PERIODS)
  period!: ReportPeriod;

  @ApiProperty({ example: ['energy@example.com'], type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  recipients!: string[];
}

export class ReportRunDto {
  @ApiProperty({ enum: REPORT_RUN_STATUSES, example: 'skipped' }) status!: ReportRunStatus;
  @ApiProperty({ example: '2026-11-30T00:00:00+00:00', description: 'Start of the period' })
  periodStart!: string;
  @ApiProperty({ example: '2026-12-07T07:00:12.000Z', nullable: true, type: String })
  at!: string | null;
  @ApiProperty({
    example: 'SMTP_URL is not set',
    nullable: true,
    type: String,
    description: 'Why the report was skipped or failed',
  })
  reason!: string | null;
}

export class ReportSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) siteId!: string;
  @ApiProperty({ enum: REPORT_PERIODS }) period!: ReportPeriod;
  @ApiProperty({ example: ['energy@example.com'], type: [String] }) recipients!: string[];
  @ApiProperty({
    example: '2026-12-14T07:00:00+00:00',
    description: 'When the next report goes out',
  })
  nextReportAt!: string;
  @ApiProperty({
    type: ReportRunDto,
    nullable: true,
    description: 'What became of the last report period (null before the first one)',
  })
  lastRun!: ReportRunDto | null;
  @ApiProperty({ example: '2026-12-07T05:30:00.000Z' }) createdAt!: string;
}

export class ReportSubscriptionListDto {
  @ApiProperty({ type: ReportSubscriptionDto, isArray: true }) items!: ReportSubscriptionDto[];
  @ApiProperty({ example: 1 }) total!: number;
}
