import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import {
  CreateReportSubscriptionDto,
  ReportSubscriptionDto,
  ReportSubscriptionListDto,
  SiteReportDto,
  SiteReportQueryDto,
} from './dto/site-report.dto';
import { reportCsv, reportPdf } from './report-render';
import { ReportSubscriptionsService } from './report-subscriptions.service';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly subscriptions: ReportSubscriptionsService,
  ) {}

  @Get('site/:id')
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: "A site's week or month: energy, cost, out-of-hours share, peak demand, coverage",
    description: 'format=json (default), csv (one row per local day and a total) or pdf.',
  })
  @ApiProduces('application/json', 'text/csv', 'application/pdf')
  @ApiOkResponse({ type: SiteReportDto })
  @ApiErrors(400, 'site_not_found')
  async site(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: SiteReportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const report = await this.reports.siteReport(user.organizationId, id, query.period, query.date);
    if (query.format === 'json') return report;
    const file = `site-report-${report.start.slice(0, 10)}.${query.format}`;
    response.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    if (query.format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      return reportCsv(report);
    }
    response.setHeader('Content-Type', 'application/pdf');
    return new StreamableFile(await reportPdf(report));
  }

  @Post('subscriptions')
  @RequireScopes(Scope.SettingsWrite)
  @ApiOperation({
    summary: "E-mail a site's report on schedule",
    description:
      'Weekly reports go out on Monday 07:00 site time, monthly ones on the 1st at 07:00.',
  })
  @ApiCreatedResponse({ type: ReportSubscriptionDto })
  @ApiErrors(400, 'site_not_found')
  subscribe(@Actor() actor: RequestActor, @Body() dto: CreateReportSubscriptionDto) {
    return this.subscriptions.create(actor, dto);
  }

  @Get('subscriptions')
  @RequireScopes(Scope.SettingsRead)
  @ApiOperation({ summary: "The organization's report subscriptions" })
  @ApiOkResponse({ type: ReportSubscriptionListDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser) {
    return this.subscriptions.list(user.organizationId);
  }

  @Delete('subscriptions/:id')
  @HttpCode(204)
  @RequireScopes(Scope.SettingsWrite)
  @ApiOperation({ summary: 'Stop a report subscription' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  remove(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.subscriptions.remove(user.organizationId, id);
  }
}
