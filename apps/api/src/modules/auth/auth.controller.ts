import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, Public, RequireScopes } from './auth.decorators';
import { AuthService } from './auth.service';
import type { AuthenticatedUser } from './authenticated-user';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { SignupDto } from './dto/signup.dto';
import { MeDto, TokenPairDto } from './dto/token-pair.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access and a refresh token' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto, ip);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a refresh token; reusing an old one revokes the session' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401)
  refresh(@Body() dto: RefreshDto, @Ip() ip: string) {
    return this.auth.refresh(dto.refreshToken, ip);
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the session the refresh token belongs to' })
  @ApiNoContentResponse()
  @ApiErrors(400)
  logout(@Body() dto: RefreshDto, @Ip() ip: string) {
    return this.auth.logout(dto.refreshToken, ip);
  }

  @Post('signup')
  @Public()
  @ApiOperation({ summary: 'Create an organization and its owner (when sign-up is enabled)' })
  @ApiCreatedResponse({ type: TokenPairDto })
  @ApiErrors(400, 403, 409, 429)
  signup(@Body() dto: SignupDto, @Ip() ip: string) {
    return this.auth.signup(dto, ip);
  }

  @Get('me')
  @RequireScopes()
  @ApiOperation({ summary: 'The signed-in user, role and scopes' })
  @ApiOkResponse({ type: MeDto })
  me(@CurrentUser() user: AuthenticatedUser) {
    return this.auth.me(user);
  }
}
