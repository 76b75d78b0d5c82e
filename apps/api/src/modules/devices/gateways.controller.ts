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
import { CreateGatewayDto } from './dto/create-gateway.dto';
import { GatewayDto, GatewayPageDto } from './dto/gateway.dto';
import { ListGatewaysDto } from './dto/list-gateways.dto';
import { UpdateGatewayDto } from './dto/update-gateway.dto';
import { GatewaysService } from './gateways.service';

@ApiTags('gateways')
@Controller('gateways')
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  @Get()
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: "Gateways of the caller's organization, filtered and sorted" })
  @ApiOkResponse({ type: GatewayPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListGatewaysDto) {
    return this.gateways.list(user.organizationId, query);
  }

  @Post()
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Register a gateway on a site' })
  @ApiCreatedResponse({ type: GatewayDto })
  @ApiErrors(400, 404, 409)
  create(@Actor() actor: RequestActor, @Body() dto: CreateGatewayDto) {
    return this.gateways.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.DevicesRead)
  @ApiOperation({ summary: 'One gateway' })
  @ApiOkResponse({ type: GatewayDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.gateways.get(user.organizationId, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary: "Change a gateway's fields",
    description:
      'A new serial number carries its active credential along; moving site needs it to have no meters.',
  })
  @ApiOkResponse({ type: GatewayDto })
  @ApiErrors(400, 404, 409)
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateGatewayDto,
  ) {
    return this.gateways.update(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: 'Delete a gateway that no meter uses, with its credentials' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404, 409)
  remove(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.gateways.remove(actor, id);
  }
}
