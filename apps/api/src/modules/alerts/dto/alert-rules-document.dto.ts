import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { CreateAlertRuleDto } from './alert-rule.dto';

/** `GET /alert-rules/export`: every rule as written, ready for an import. */
export class AlertRulesDocumentDto {
  @ApiProperty({ enum: [1] }) version!: 1;
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ type: [CreateAlertRuleDto] }) rules!: CreateAlertRuleDto[];
}

/** An export document, optionally retargeted: site-scoped rules then watch `siteId` instead. */
export class ImportAlertRulesDto {
  @ApiPropertyOptional({ enum: [1] })
  @IsOptional()
  @IsIn([1])
  version?: 1;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsString()
  exportedAt?: string;

  @ApiProperty({ type: [CreateAlertRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => CreateAlertRuleDto)
  rules!: CreateAlertRuleDto[];

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Retarget: site-scoped rules are created for this site (meter-scoped rules are then refused)',
  })
  @IsOptional()
  @IsUUID()
  siteId?: string;
}
