import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersDto } from './dto/list-users.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { CreatedUserDto, UserDto, UserPageDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequireScopes(Scope.UsersManage)
  @ApiOperation({ summary: "Users of the caller's organization" })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListUsersDto) {
    return this.users.list(user.organizationId, query);
  }

  @Post()
  @RequireScopes(Scope.UsersManage)
  @ApiOperation({ summary: "Create or invite a user into the caller's organization" })
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiErrors(400, 409)
  create(@Actor() actor: RequestActor, @Body() dto: CreateUserDto) {
    return this.users.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.UsersManage)
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404)
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(user.organizationId, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.UsersManage)
  @ApiOperation({ summary: 'Rename, change role, disable or re-enable a user' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404, 409)
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
  ) {
    return this.users.update(actor, id, dto);
  }
}
