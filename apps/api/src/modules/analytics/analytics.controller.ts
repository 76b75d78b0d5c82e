import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { AnalyticsService } from './analytics.service';
import { AnalyticsTargetDto, ConsumptionQueryDto, PeriodQueryDto } from './dto/analytics-query.dto';
import { CostDto } from './dto/cost.dto';
import { CostService } from './cost.service';
import {
  OperatingHoursSplitDto,
  PeakDemandDto,
  PeakDemandQueryDto,
  UsageProfileDto,
  UsageProfileQueryDto,
} from './dto/profile.dto';
import { ProfileService } from './profile.service';
import { ConsumptionDto } from './dto/consumption.dto';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly costs: CostService,
    private readonly profiles: ProfileService,
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

  @Get('usage-profile')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: 'Average and peak load by local hour of the day, weekdays and weekends apart',
    description:
      "The meters' summed 5-minute average power (W) from the rollups: mean and highest per " +
      'local hour; null where there is no data.',
  })
  @ApiOkResponse({ type: UsageProfileDto })
  @ApiErrors(400, 'invalid_analytics_range', 'site_not_found', 'meter_not_found')
  usageProfile(@CurrentUser() user: AuthenticatedUser, @Query() query: UsageProfileQueryDto) {
    return this.profiles.usageProfile(user.organizationId, query);
  }

  @Get('operating-hours')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: "Energy and cost inside vs outside the site's operating hours, and the waste list",
    description:
      'A 15-minute slot counts by its local start; a weekday without hours is closed. `waste` ' +
      'ranks the meters by out-of-hours energy (top 10). Costs are null when a site has no tariff.',
  })
  @ApiOkResponse({ type: OperatingHoursSplitDto })
  @ApiErrors(400, 'invalid_analytics_range', 'site_not_found', 'meter_not_found')
  operatingHours(@CurrentUser() user: AuthenticatedUser, @Query() query: AnalyticsTargetDto) {
    return this.profiles.operatingHours(user.organizationId, query);
  }

  @Get('peak-demand')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: 'Highest 15- or 30-minute average demand (kW) per local period',
    description: 'What utilities bill as maximum demand; 30-minute windows are local half-hours.',
  })
  @ApiOkResponse({ type: PeakDemandDto })
  @ApiErrors(400, 'invalid_analytics_range', 'site_not_found', 'meter_not_found')
  peakDemand(@CurrentUser() user: AuthenticatedUser, @Query() query: PeakDemandQueryDto) {
    return this.profiles.peakDemand(user.organizationId, query);
  }
}
