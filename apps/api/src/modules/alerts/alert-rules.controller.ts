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
import { AlertRulesService } from './alert-rules.service';
import {
  AlertRuleDto,
  CreateAlertRuleDto,
  CreatedAlertRuleDto,
  UpdateAlertRuleDto,
} from './dto/alert-rule.dto';
import { AlertRulesDocumentDto, ImportAlertRulesDto } from './dto/alert-rules-document.dto';

@ApiTags('alerts')
@Controller('alert-rules')
export class AlertRulesController {
  constructor(private readonly rules: AlertRulesService) {}

  @Get()
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({ summary: "The organization's alert rules, oldest first" })
  @ApiOkResponse({ type: [AlertRuleDto] })
  list(@CurrentUser() user: AuthenticatedUser) {
    return this.rules.list(user.organizationId);
  }

  @Get('export')
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({
    summary: 'Every rule as a JSON document that POST /alert-rules/import takes back',
    description: 'Webhook secrets are not exported: an import creates new ones.',
  })
  @ApiOkResponse({ type: AlertRulesDocumentDto })
  export(@CurrentUser() user: AuthenticatedUser) {
    return this.rules.export(user.organizationId);
  }

  @Post('import')
  @RequireScopes(Scope.AlertsWrite)
  @ApiOperation({
    summary: 'Create every rule of an export document, or none',
    description:
      'Optionally retargeted with siteId: site-scoped rules then watch that site. The answer ' +
      'holds each new rule, with its webhookSecret (once) where it has a webhook.',
  })
  @ApiCreatedResponse({ type: [CreatedAlertRuleDto] })
  @ApiErrors(400, 404)
  import(@Actor() actor: RequestActor, @Body() dto: ImportAlertRulesDto) {
    return this.rules.import(actor, dto);
  }

  @Post()
  @RequireScopes(Scope.AlertsWrite)
  @ApiOperation({
    summary: 'Create an alert rule',
    description:
      'A webhook URL is resolved and refused (400 webhook_url_not_allowed) when it reaches a ' +
      'loopback, private, link-local or metadata address outside WEBHOOK_ALLOWED_NETWORKS. ' +
      'The webhook secret is answered once, as webhookSecret.',
  })
  @ApiCreatedResponse({ type: CreatedAlertRuleDto })
  @ApiErrors(400, 404, 'webhook_url_not_allowed')
  create(@Actor() actor: RequestActor, @Body() dto: CreateAlertRuleDto) {
    return this.rules.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.AlertsRead)
  @ApiOperation({ summary: 'One alert rule' })
  @ApiOkResponse({ type: AlertRuleDto })
  @ApiErrors(400, 'alert_rule_not_found')
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.rules.get(user.organizationId, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.AlertsWrite)
  @ApiOperation({
    summary: 'Change an alert rule (validated as a whole after the change)',
    description: 'Giving a rule its first webhook URL answers the new webhookSecret, once.',
  })
  @ApiOkResponse({ type: CreatedAlertRuleDto })
  @ApiErrors(400, 'alert_rule_not_found', 'webhook_url_not_allowed')
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAlertRuleDto,
  ) {
    return this.rules.update(actor, id, dto);
  }

  @Delete(':id')
  @RequireScopes(Scope.AlertsWrite)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an alert rule',
    description: 'Its open alerts are resolved; its alerts stay in the history.',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 'alert_rule_not_found')
  remove(@Actor() actor: RequestActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.rules.remove(actor, id);
  }
}
