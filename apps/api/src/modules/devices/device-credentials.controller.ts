import { Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
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
import { DeviceCredentialsService } from './device-credentials.service';
import { CredentialDto, IssuedCredentialDto } from './dto/credential.dto';

const SHOWN_ONCE =
  'The secret is in this answer only; it is stored encrypted and never shown again.';

/** Credentials of gateways and of meters; every endpoint needs devices:write, reading metadata too. */
@ApiTags('device credentials')
@Controller()
export class DeviceCredentialsController {
  constructor(private readonly credentials: DeviceCredentialsService) {}

  @Post('gateways/:id/credentials')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "Issue the gateway's credential", description: SHOWN_ONCE })
  @ApiCreatedResponse({ type: IssuedCredentialDto })
  @ApiErrors(400, 404, 409)
  createForGateway(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.create(actor, { type: 'gateway', id });
  }

  @Get('gateways/:id/credentials')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "The gateway's active credential, without its secret" })
  @ApiOkResponse({ type: CredentialDto })
  @ApiErrors(400, 404)
  getForGateway(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.get(user.organizationId, { type: 'gateway', id });
  }

  @Post('gateways/:id/credentials/rotate')
  @HttpCode(200)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary:
      'Issue a new secret for the gateway; the previous one stays valid for the grace period',
    description: SHOWN_ONCE,
  })
  @ApiOkResponse({ type: IssuedCredentialDto })
  @ApiErrors(400, 404)
  rotateForGateway(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.rotate(actor, { type: 'gateway', id });
  }

  @Delete('gateways/:id/credentials')
  @HttpCode(204)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "Revoke the gateway's credential at once" })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 404)
  revokeForGateway(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.revoke(actor, { type: 'gateway', id });
  }

  @Post('meters/:id/credentials')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary: "Issue the meter's credential (a direct device)",
    description: SHOWN_ONCE,
  })
  @ApiCreatedResponse({ type: IssuedCredentialDto })
  @ApiErrors(400, 404, 409)
  createForMeter(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.create(actor, { type: 'meter', id });
  }

  @Get('meters/:id/credentials')
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "The meter's active credential, without its secret" })
  @ApiOkResponse({ type: CredentialDto })
  @ApiErrors(400, 404)
  getForMeter(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.get(user.organizationId, { type: 'meter', id });
  }

  @Post('meters/:id/credentials/rotate')
  @HttpCode(200)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({
    summary: 'Issue a new secret for the meter; the previous one stays valid for the grace period',
    description: SHOWN_ONCE,
  })
  @ApiOkResponse({ type: IssuedCredentialDto })
  @ApiErrors(400, 404)
  rotateForMeter(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.rotate(actor, { type: 'meter', id });
  }

  @Delete('meters/:id/credentials')
  @HttpCode(204)
  @RequireScopes(Scope.DevicesWrite)
  @ApiOperation({ summary: "Revoke the meter's credential at once" })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 404)
  revokeForMeter(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.credentials.revoke(actor, { type: 'meter', id });
  }
}
