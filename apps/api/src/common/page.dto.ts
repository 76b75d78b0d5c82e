import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** Query parameters shared by every list endpoint. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: "Opaque cursor from the previous page's nextCursor" })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order: 'asc' | 'desc' = 'asc';
}

/** Builds a Swagger class for `{items, total, nextCursor?}` of the given item type. */
export function PageOf<T>(item: new () => T, name: string) {
  class PageDto {
    @ApiProperty({ type: item, isArray: true })
    items!: T[];

    @ApiProperty({ description: 'Rows matching the filters, across all pages' })
    total!: number;

    @ApiPropertyOptional({ description: 'Pass as `cursor` to get the next page' })
    nextCursor?: string;
  }
  Object.defineProperty(PageDto, 'name', { value: name });
  return PageDto;
}
