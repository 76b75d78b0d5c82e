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
import { ChangeMeterStatusDto } from './dto/change-meter-status.dto';
import { CreateMeterDto } from './dto/create-meter.dto';
import { ListMetersDto } from './dto/list-meters.dto';
import { MeterDto, MeterPageDto } from './dto/meter.dto';
import { UpdateMeterDto } from './dto/update-meter.dto';
import { MetersService } from './meters.service';

@ApiTags('meters')
@Controller('meters')
export class MetersController {
  constructor(private readonly meters: MetersService) {}

  @Get()
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: "Meters of the caller's organization, filtered and sorted" })
  @ApiOkResponse({ type: MeterPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListMetersDto) {
    return this.meters.list(user.organizationId, query);
  }

  @Post()
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Register a meter on a site, behind a gateway or direct' })
  @ApiCreatedResponse({ type: MeterDto })
  @ApiErrors(400, 404)
  create(@Actor() actor: RequestActor, @Body() dto: CreateMeterDto) {
    return this.meters.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: 'One meter' })
  @ApiOkResponse({ type: MeterDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.meters.get(user.organizationId, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary: "Change a meter's fields (not its status); refused once decommissioned",
  })
  @ApiOkResponse({ type: MeterDto })
  @ApiErrors(400, 404, 409)
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMeterDto,
  ) {
    return this.meters.update(actor, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary: 'Move a meter through its status machine',
    description:
      'online <-> offline, either <-> maintenance, any -> decommissioned (final; revokes its credential). ' +
      'An illegal move answers 409 illegal_status_transition with details {from, to, allowed}.',
  })
  @ApiOkResponse({ type: MeterDto })
  @ApiErrors(400, 404, 409)
  changeStatus(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeMeterStatusDto,
  ) {
    return this.meters.changeStatus(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Delete a meter and its credentials' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  remove(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.meters.remove(actor, id);
  }
}
