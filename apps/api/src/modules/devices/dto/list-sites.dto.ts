import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/page.dto';

export const SITE_SORTS = ['name', 'code', 'createdAt'] as const;

export class ListSitesDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Matches name or code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ enum: SITE_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(SITE_SORTS)
  sort: (typeof SITE_SORTS)[number] = 'name';
}
