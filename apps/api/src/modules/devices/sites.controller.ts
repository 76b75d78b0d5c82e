import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { CreateSiteDto } from './dto/create-site.dto';
import { ListSitesDto } from './dto/list-sites.dto';
import { SiteDto, SitePageDto } from './dto/site.dto';
import { UpdateSiteDto } from './dto/update-site.dto';
import { SitesService } from './sites.service';

@ApiTags('sites')
@Controller('sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: "Sites of the caller's organization, filtered and sorted" })
  @ApiOkResponse({ type: SitePageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListSitesDto) {
    return this.sites.list(user.organizationId, query);
  }

  @Post()
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Create a site' })
  @ApiCreatedResponse({ type: SiteDto })
  @ApiErrors(400, 409)
  create(@Actor() actor: RequestActor, @Body() dto: CreateSiteDto) {
    return this.sites.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: 'One site' })
  @ApiOkResponse({ type: SiteDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.sites.get(user.organizationId, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "Change a site's fields; null clears an optional one" })
  @ApiOkResponse({ type: SiteDto })
  @ApiErrors(400, 404, 409)
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSiteDto,
  ) {
    return this.sites.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Delete a site that has no gateways or meters' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  remove(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.sites.remove(actor, id);
  }
}
