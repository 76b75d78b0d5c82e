import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { SiteTariffDto, TariffDocumentDto } from './dto/tariff.dto';
import { TariffsService } from './tariffs.service';

@ApiTags('analytics')
@Controller('sites/:id/tariff')
export class TariffsController {
  constructor(private readonly tariffs: TariffsService) {}

  @Get()
  @RequireScopes(Scope.SettingsRead)
  @ApiOperation({ summary: "The site's tariff document (404 tariff_not_found when none is set)" })
  @ApiOkResponse({ type: SiteTariffDto })
  @ApiErrors(400, 'site_not_found', 'tariff_not_found')
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.tariffs.get(user.organizationId, id);
  }

  @Put()
  @RequireScopes(Scope.SettingsWrite)
  @ApiOperation({
    summary: "Replace the site's tariff (earlier documents stay on record)",
    description:
      'Flat or time-of-use. Bands are by ISO weekday and local half-hour; the bands of a period ' +
      'must cover each day exactly once (400 invalid_tariff naming the gap or overlap). Periods ' +
      'take effect on their validFrom local date; the standing charge is per local day.',
  })
  @ApiOkResponse({ type: SiteTariffDto })
  @ApiErrors(400, 'invalid_tariff', 'site_not_found')
  put(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TariffDocumentDto,
  ) {
    return this.tariffs.put(actor, id, dto);
  }
}
