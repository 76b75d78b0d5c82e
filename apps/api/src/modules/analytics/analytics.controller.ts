import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AnalyticsService } from './analytics.service';
import { ConsumptionQueryDto, PeriodQueryDto } from './dto/analytics-query.dto';
import { CostDto } from './dto/cost.dto';
import { CostService } from './cost.service';
import { ConsumptionDto } from './dto/consumption.dto';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly costs: CostService,
  ) {}

  @Get('consumption')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: 'Energy per local calendar period (30m, hour, day, week, month, year)',
    description:
      "Periods start at local edges of the site's IANA time zone (days at local midnight, weeks " +
      'on Monday; DST days last 23 or 25 hours). Energy comes from counters across resets or, ' +
      'for meters without a counter, from power integrated by the trapezoid rule (gaps longer ' +
      "than twice the meter's interval are not bridged). `coverage` says how complete each " +
      'period is. Served from the rollups.',
  })
  @ApiOkResponse({ type: ConsumptionDto })
  @ApiErrors(400, 'invalid_analytics_range', 'site_not_found', 'meter_not_found')
  consumption(@CurrentUser() user: AuthenticatedUser, @Query() query: ConsumptionQueryDto) {
    return this.analytics.consumption(user.organizationId, query);
  }

  @Get('cost')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: 'Energy and cost per local period and per tariff band',
    description:
      "Each half-hour's energy is priced by the band of the site's tariff in force that local " +
      'date (band edges inside an hour are exact); the standing charge is added once per local ' +
      'day, to the period where the day starts (site and organization scopes; a single meter ' +
      'carries no standing charge). 404 tariff_not_found when a site has no tariff.',
  })
  @ApiOkResponse({ type: CostDto })
  @ApiErrors(
    400,
    'invalid_analytics_range',
    'site_not_found',
    'meter_not_found',
    'tariff_not_found',
  )
  cost(@CurrentUser() user: AuthenticatedUser, @Query() query: PeriodQueryDto) {
    return this.costs.cost(user.organizationId, query);
  }
}
