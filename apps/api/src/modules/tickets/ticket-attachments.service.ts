import { Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TicketMessageView } from '@gridwatch/contracts';
import { attachmentFileName, detectAttachmentType } from '@gridwatch/domain';
import {
  DomainException,
  NotFound,
  TicketAttachmentEntity,
  TicketMessageEntity,
  ValidationFailed,
} from '@gridwatch/server';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { AttachmentStore } from './attachment-store';
import type { UploadAttachmentDto } from './dto/upload-attachment.dto';
import { TicketMessagesService } from './ticket-messages.service';
import { seesInternalNotes } from './tickets.service';

/** The part of multer's file object the upload uses (multer's own types are not installed). */
export interface UploadedAttachment {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Files on ticket messages: type judged from the bytes, stored by hash, downloaded as files. */
@Injectable()
export class TicketAttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: AttachmentStore,
    private readonly messages: TicketMessagesService,
  ) {}

  /** Posts a message carrying the file; 415 when its bytes are not an allowed type. */
  async upload(
    actor: RequestActor,
    ticketId: string,
    file: UploadedAttachment | undefined,
    dto: UploadAttachmentDto,
  ): Promise<TicketMessageView> {
    if (!file) {
      throw new ValidationFailed('A file is required', [
        { field: 'file', messages: ['file must be a multipart file field'] },
      ]);
    }
    const fileName = attachmentFileName(file.originalname);
    const contentType = detectAttachmentType(file.buffer, {
      fileName,
      contentType: file.mimetype,
    });
    if (!contentType) {
      throw new DomainException(
        'unsupported_media_type',
        'Attachments must be PNG, JPEG, GIF, WebP, PDF, plain text or CSV (judged by content)',
        { declaredType: file.mimetype },
      );
    }
    const sha256 = await this.store.put(file.buffer);
    return this.messages.store(actor, ticketId, {
      body: dto.body ?? '',
      internal: dto.internal ?? false,
      attachment: { fileName, contentType, sizeBytes: file.size, sha256 },
    });
  }

  /** The file as a download; an internal note's file is "not found" for viewers. */
  async download(user: AuthenticatedUser, id: string): Promise<StreamableFile> {
    const attachment = await this.db.manager.findOneBy(TicketAttachmentEntity, {
      id,
      organizationId: user.organizationId,
    });
    const message = attachment
      ? await this.db.manager.findOneBy(TicketMessageEntity, { id: attachment.messageId })
      : null;
    if (!attachment || !message || (message.internal && !seesInternalNotes(user))) {
      throw new NotFound('attachment_not_found', 'Attachment');
    }
    const stream = await this.store.open(attachment.sha256);
    if (!stream) throw new NotFound('attachment_not_found', 'Attachment');
    return new StreamableFile(stream, {
      type: attachment.contentType,
      length: attachment.sizeBytes,
      disposition: contentDisposition(attachment.fileName),
    });
  }
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
