import { Controller, Get, Header, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Scope } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { TicketAttachmentsService } from './ticket-attachments.service';

@ApiTags('tickets')
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: TicketAttachmentsService) {}

  @Get(':id')
  @RequireScopes(Scope.TicketsRead)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiProduces('application/octet-stream')
  @ApiOperation({
    summary: 'Download an attachment (always as a file: Content-Disposition attachment, nosniff)',
    description: "An internal note's attachment is not found for users without tickets:write.",
  })
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiErrors(400, 'attachment_not_found')
  download(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.attachments.download(user, id);
  }
}
