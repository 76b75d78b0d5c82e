import { ApiProperty } from '@nestjs/swagger';
import {
  DATA_QUALITY_KINDS,
  DATA_QUALITY_SEVERITIES,
  type DataQualityIssueView,
  type DataQualityKind,
  type DataQualitySeverity,
} from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';

export class DataQualityIssueDto implements DataQualityIssueView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) siteId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null: the gateway' })
  meterId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gatewayId!: string | null;
  @ApiProperty({ enum: DATA_QUALITY_KINDS }) kind!: DataQualityKind;
  @ApiProperty({ enum: DATA_QUALITY_SEVERITIES }) severity!: DataQualitySeverity;
  @ApiProperty({ nullable: true, type: String, example: 'frequency_hz' }) parameter!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Kind-specific; `count` is how many times it was seen while open',
  })
  details!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) detectedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
}

export class DataQualityIssuePageDto extends PageOf(DataQualityIssueDto, 'DataQualityIssuePage') {}
