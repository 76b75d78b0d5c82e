import { ApiProperty } from '@nestjs/swagger';
import type { SiteView } from '@gridwatch/contracts';
import { PageOf } from '../../../common/page.dto';
import { OperatingHoursDto } from './create-site.dto';

export class SiteDto implements SiteView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'Europe/London' }) timezone!: string;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ nullable: true, type: Number }) latitude!: number | null;
  @ApiProperty({ nullable: true, type: Number }) longitude!: number | null;
  @ApiProperty({ type: OperatingHoursDto }) operatingHours!: OperatingHoursDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SitePageDto extends PageOf(SiteDto, 'SitePage') {}
