import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_CONDITIONS,
  ALERT_SCHEDULES,
  ALERT_SEVERITIES,
  NOTIFICATION_CHANNELS,
  PARAMETERS,
  type AlertCondition,
  type AlertEscalation,
  type AlertRecipients,
  type AlertRuleScope,
  type AlertRuleView,
  type AlertSchedule,
  type AlertSeverity,
  type CreatedAlertRule,
  type NotificationChannel,
  type Parameter,
} from '@gridwatch/contracts';
import { IsOptionalNonNull } from '../../devices/dto/validators';

export class AlertRuleScopeDto implements AlertRuleScope {
  @ApiPropertyOptional({ format: 'uuid', description: "The site's meters" })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One meter' })
  @IsOptional()
  @IsUUID()
  meterId?: string;
}

export class AlertRecipientsDto implements AlertRecipients {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Users notified in-app (and by e-mail); empty: every user who may read alerts',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  userIds: string[] = [];

  @ApiProperty({ type: [String], example: ['facilities@example.com'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsEmail({}, { each: true })
  emails: string[] = [];

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'https://hooks.example.com/gridwatch',
    description: 'Checked on save: loopback, private, link-local and metadata addresses refused',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  webhookUrl: string | null = null;
}

export class AlertEscalationDto implements AlertEscalation {
  @ApiProperty({ minimum: 1, maximum: 10080, example: 15 })
  @IsInt()
  @Min(1)
  @Max(10080)
  afterMinutes!: number;

  @ApiProperty({ minimum: 1, maximum: 10, example: 2 })
  @IsInt()
  @Min(1)
  @Max(10)
  maxLevel!: number;
}

/** A rule as written: create, and each rule of an import. */
export class CreateAlertRuleDto {
  @ApiProperty({ example: 'Heater on out of hours' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;

  @ApiPropertyOptional({
    type: AlertRuleScopeDto,
    description: '{} (the default) = the whole organization',
  })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => AlertRuleScopeDto)
  scope?: AlertRuleScopeDto;

  @ApiPropertyOptional({
    enum: PARAMETERS,
    nullable: true,
    description: 'Required except for device_offline and data_quality (null: any parameter)',
  })
  @IsOptional()
  @IsIn(PARAMETERS)
  parameter?: Parameter | null;

  @ApiProperty({ enum: ALERT_CONDITIONS })
  @IsIn(ALERT_CONDITIONS)
  condition!: AlertCondition;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Required for above, below and rate_of_change (units per minute)',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold?: number | null;

  @ApiPropertyOptional({
    default: 0,
    description:
      'The condition must hold on every reading across this many seconds before it fires (no_data: the silence)',
  })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(7 * 86400)
  durationSeconds?: number;

  @ApiPropertyOptional({ default: 0, description: 'No new alert this long after one resolved' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(7 * 86400)
  cooldownSeconds?: number;

  @ApiProperty({ enum: ALERT_SEVERITIES })
  @IsIn(ALERT_SEVERITIES)
  severity!: AlertSeverity;

  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS, isArray: true, default: ['in_app'] })
  @IsOptionalNonNull()
  @IsArray()
  @IsIn(NOTIFICATION_CHANNELS, { each: true })
  channels?: NotificationChannel[];

  @ApiPropertyOptional({ type: AlertRecipientsDto })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => AlertRecipientsDto)
  recipients?: AlertRecipientsDto;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNonNull()
  @IsBoolean()
  autoResolve?: boolean;

  @ApiPropertyOptional({ type: AlertEscalationDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AlertEscalationDto)
  escalation?: AlertEscalationDto | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    description: 'Re-notify every N minutes while the alert stays open',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  repeatMinutes?: number | null;

  @ApiPropertyOptional({ enum: ALERT_SCHEDULES, default: 'always' })
  @IsOptionalNonNull()
  @IsIn(ALERT_SCHEDULES)
  schedule?: AlertSchedule;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNonNull()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateAlertRuleDto extends PartialType(CreateAlertRuleDto) {}

export class AlertRuleDto implements AlertRuleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: AlertRuleScopeDto }) scope!: AlertRuleScopeDto;
  @ApiProperty({ enum: PARAMETERS, nullable: true, type: String }) parameter!: Parameter | null;
  @ApiProperty({ enum: ALERT_CONDITIONS }) condition!: AlertCondition;
  @ApiProperty({ nullable: true, type: Number }) threshold!: number | null;
  @ApiProperty() durationSeconds!: number;
  @ApiProperty() cooldownSeconds!: number;
  @ApiProperty({ enum: ALERT_SEVERITIES }) severity!: AlertSeverity;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS, isArray: true }) channels!: NotificationChannel[];
  @ApiProperty({ type: AlertRecipientsDto }) recipients!: AlertRecipientsDto;
  @ApiProperty() autoResolve!: boolean;
  @ApiProperty({ type: AlertEscalationDto, nullable: true })
  escalation!: AlertEscalationDto | null;
  @ApiProperty({ nullable: true, type: Number }) repeatMinutes!: number | null;
  @ApiProperty({ enum: ALERT_SCHEDULES }) schedule!: AlertSchedule;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: 'Whether a webhook secret exists (answered once)' })
  hasWebhookSecret!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedAlertRuleDto extends AlertRuleDto implements CreatedAlertRule {
  @ApiPropertyOptional({
    description:
      'The webhook HMAC key: answered once, when a rule first gets a webhook URL. Deliveries carry X-GridWatch-Signature: sha256=<hex HMAC-SHA256 of the body>',
  })
  webhookSecret?: string;
}
