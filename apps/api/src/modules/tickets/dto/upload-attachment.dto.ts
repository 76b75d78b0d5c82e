import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { TICKET_MESSAGE_MAX_LENGTH } from '@gridwatch/contracts';

/** The multipart form of an attachment: the file plus the message it comes with. */
export class UploadAttachmentDto {
  // Documents the file part; multer takes it out of the body (declared so the whitelist lets it be).
  @ApiProperty({ type: 'string', format: 'binary', description: 'At most 10 MiB' })
  @IsOptional()
  file?: unknown;

  @ApiPropertyOptional({ description: 'Text of the message carrying the file' })
  @IsOptional()
  @IsString()
  @MaxLength(TICKET_MESSAGE_MAX_LENGTH)
  body?: string;

  @ApiPropertyOptional({ type: Boolean, default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  internal?: boolean;
}
