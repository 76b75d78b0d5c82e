import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Scope, TICKET_ATTACHMENT_MAX_BYTES } from '@gridwatch/contracts';
import { ApiErrors } from '../../common/api-errors.decorator';
import { PageQueryDto } from '../../common/page.dto';
import { Actor, CurrentUser, RequireScopes } from '../auth/auth.decorators';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { CaptureSnapshotDto } from './dto/capture-snapshot.dto';
import { ChangeTicketStatusDto } from './dto/change-ticket-status.dto';
import { CreateTicketMessageDto } from './dto/create-ticket-message.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsDto } from './dto/list-tickets.dto';
import {
  TicketDto,
  TicketMessageDto,
  TicketMessagePageDto,
  TicketPageDto,
  TicketReadDto,
  TicketSnapshotDto,
  TicketSnapshotPageDto,
} from './dto/ticket.dto';
import { UpdateTicketDto } from './dto/update-ticket.dto';
import { UploadAttachmentDto } from './dto/upload-attachment.dto';
import { type UploadedAttachment, TicketAttachmentsService } from './ticket-attachments.service';
import { TicketMessagesService } from './ticket-messages.service';
import { TicketSnapshotsService } from './ticket-snapshots.service';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly messages: TicketMessagesService,
    private readonly attachments: TicketAttachmentsService,
    private readonly snapshots: TicketSnapshotsService,
  ) {}

  @Get()
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({
    summary: "Tickets of the caller's organization",
    description:
      'Filters: status, priority, assignee (me, none or a user id), meterId, q (subject, ' +
      'description or number). Each ticket carries `overdue` and the caller’s `unreadCount`.',
  })
  @ApiOkResponse({ type: TicketPageDto })
  @ApiErrors(400)
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListTicketsDto) {
    return this.tickets.list(user, query);
  }

  @Post()
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: 'Open a ticket',
    description:
      'Numbered per organization (GW-1001, GW-1002, ...); due times come from the priority and ' +
      "the organization's SLA settings. Audited and published as ticket.created.",
  })
  @ApiCreatedResponse({ type: TicketDto })
  @ApiErrors(400, 'invalid_assignee', 'meter_not_found')
  create(@Actor() actor: RequestActor, @Body() dto: CreateTicketDto) {
    return this.tickets.create(actor, dto);
  }

  @Get(':id')
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({ summary: 'One ticket' })
  @ApiOkResponse({ type: TicketDto })
  @ApiErrors(400, 'ticket_not_found')
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.tickets.get(user, id);
  }

  @Patch(':id')
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: 'Change subject, description, priority, assignee or meter',
    description:
      'A new assignee must be an owner, operator or support user of the organization (else 400 ' +
      'invalid_assignee); a change of assignee is published as ticket.assigned.',
  })
  @ApiOkResponse({ type: TicketDto })
  @ApiErrors(400, 'invalid_assignee', 'ticket_not_found', 'meter_not_found')
  update(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTicketDto,
  ) {
    return this.tickets.update(actor, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: 'Move a ticket through its status machine',
    description:
      'open -> in_progress -> resolved -> closed; resolved -> open reopens. An illegal move ' +
      'answers 409 illegal_status_transition with details {from, to, allowed}.',
  })
  @ApiOkResponse({ type: TicketDto })
  @ApiErrors(400, 'ticket_not_found', 'illegal_status_transition')
  changeStatus(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeTicketStatusDto,
  ) {
    return this.tickets.changeStatus(actor, id, dto);
  }

  @Get(':id/messages')
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({
    summary: 'The conversation, oldest first (order=desc for newest first)',
    description: 'Internal notes are listed only for users with tickets:write.',
  })
  @ApiOkResponse({ type: TicketMessagePageDto })
  @ApiErrors(400, 'ticket_not_found')
  listMessages(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ) {
    return this.messages.list(user, id, query);
  }

  @Post(':id/messages')
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: 'Post a message or an internal note',
    description:
      'Published as ticket.message to the ticket room (internal notes: the ticket_internal ' +
      'room only). The first public answer of a staff user other than the creator is the ' +
      'first response.',
  })
  @ApiCreatedResponse({ type: TicketMessageDto })
  @ApiErrors(400, 'ticket_not_found', 'ticket_closed')
  postMessage(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateTicketMessageDto,
  ) {
    return this.messages.post(actor, id, dto);
  }

  @Post(':id/read')
  @HttpCode(200)
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({ summary: "Mark the conversation read up to now (the caller's unread count: 0)" })
  @ApiOkResponse({ type: TicketReadDto })
  @ApiErrors(400, 'ticket_not_found')
  markRead(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.messages.markRead(user, id);
  }

  @Post(':id/attachments')
  @RequireScopes(Scope.TicketsWrite)
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: TICKET_ATTACHMENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 64 * 1024 },
      // Browsers send UTF-8 file names; multer would read them as latin1.
      defParamCharset: 'utf8',
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentDto })
  @ApiOperation({
    summary: 'Post a message carrying a file (multipart field `file`, at most 10 MiB)',
    description:
      'The type is judged from the bytes: PNG, JPEG, GIF, WebP, PDF, plain text or CSV, else ' +
      '415. Stored by SHA-256 under ATTACHMENTS_DIR, never by the client’s name.',
  })
  @ApiCreatedResponse({ type: TicketMessageDto })
  @ApiErrors(
    400,
    'ticket_not_found',
    'ticket_closed',
    'payload_too_large',
    'unsupported_media_type',
  )
  upload(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @UploadedFile() file: UploadedAttachment | undefined,
    @Body() dto: UploadAttachmentDto,
  ) {
    return this.attachments.upload(actor, id, file, dto);
  }

  @Post(':id/snapshots')
  @RequireScopes(Scope.TicketsWrite)
  @ApiOperation({
    summary: "Capture a meter's state into the ticket (next version)",
    description:
      'Meter status, latest value per parameter, recent data quality issues, open alerts and ' +
      'the gateway’s ' +
      'connection details, at most 256 KiB of JSON (else 413 snapshot_too_large).',
  })
  @ApiCreatedResponse({ type: TicketSnapshotDto })
  @ApiErrors(400, 'ticket_not_found', 'meter_not_found', 'snapshot_too_large')
  captureSnapshot(
    @Actor() actor: RequestActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CaptureSnapshotDto,
  ) {
    return this.snapshots.capture(actor, id, dto.meterId);
  }

  @Get(':id/snapshots')
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({ summary: "The ticket's snapshots, by version" })
  @ApiOkResponse({ type: TicketSnapshotPageDto })
  @ApiErrors(400, 'ticket_not_found')
  listSnapshots(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.snapshots.list(user, id);
  }

  @Get(':id/snapshots/:version')
  @RequireScopes(Scope.TicketsRead)
  @ApiOperation({ summary: 'One snapshot version' })
  @ApiOkResponse({ type: TicketSnapshotDto })
  @ApiErrors(400, 'ticket_not_found', 'snapshot_not_found')
  getSnapshot(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
  ) {
    return this.snapshots.get(user, id, version);
  }
}
