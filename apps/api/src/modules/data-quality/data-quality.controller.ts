import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { DataQualityService } from './data-quality.service';
import { DataQualityIssueDto, DataQualityIssuePageDto } from './dto/data-quality-issue.dto';
import { ListDataQualityIssuesDto } from './dto/list-data-quality-issues.dto';

@ApiTags('data-quality')
@Controller('data-quality-issues')
export class DataQualityController {
  constructor(private readonly dataQuality: DataQualityService) {}

  @Get()
  @RequireScopes(Scope.ReadingsRead)
  @ApiOperation({
    summary: "Data quality issues of the caller's organization, newest first",
    description:
      'Out-of-range values, counter glitches, communication errors, ... One open issue per ' +
      'meter, kind and parameter, counting its sightings in details.count.',
  })
  @ApiOkResponse({ type: DataQualityIssuePageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListDataQualityIssuesDto) {
    return this.dataQuality.list(user.organizationId, query);
  }

  @Post(':id/resolve')
  @RequireScopes(Scope.DevicesWrite)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve an issue (idempotent: an issue resolved before is answered unchanged)',
    description:
      'Recorded in the audit trail as data_quality.resolved. The next sighting of the same ' +
      'problem opens a new issue.',
  })
  @ApiOkResponse({ type: DataQualityIssueDto })
  @ApiErrors(400, 404)
  resolve(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.dataQuality.resolve(actor, id);
  }
}
