import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ExportReadingsDto, QueryReadingsDto } from './dto/query-readings.dto';
import { LatestReadingDto, ReadingPageDto } from './dto/reading.dto';
import { ReadingsService } from './readings.service';

@ApiTags('readings')
@Controller('meters/:id/readings')
export class ReadingsController {
  constructor(private readonly readings: ReadingsService) {}

  @Get()
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary:
      "A meter's readings: raw (cursor-paginated) or 5m / hourly / daily (site-local days) rollups",
  })
  @ApiOkResponse({ type: ReadingPageDto })
  @ApiErrors(400, 404)
  page(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: QueryReadingsDto,
  ) {
    return this.readings.page(user.organizationId, id, query);
  }

  @Get('latest')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({ summary: 'The latest value of each parameter the meter reports' })
  @ApiOkResponse({ type: LatestReadingDto, isArray: true })
  @ApiErrors(400, 404)
  latest(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.readings.latest(user.organizationId, id);
  }

  @Get('export.csv')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({ summary: 'Every matching reading or rollup as CSV, streamed (no row limit)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiErrors(400, 404)
  exportCsv(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ExportReadingsDto,
    @Res() response: Response,
  ) {
    return this.readings.exportCsv(user.organizationId, id, query, response);
  }
}
