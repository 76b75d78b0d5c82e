import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Attachment bytes on disk under ATTACHMENTS_DIR, named by their SHA-256 (`ab/abcdef...`), never
 * by the client's file name. Equal content is stored once. Writes go to a temporary name first
 * and are renamed into place, so a reader never sees half a file.
 */
@Injectable()
export class AttachmentStore implements OnModuleInit {
  private readonly root: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.root = config.attachmentsDir;
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  /** Stores `content`; answers its hex SHA-256, the only name it is known by. */
  async put(content: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const path = this.pathOf(sha256);
    if (await exists(path)) return sha256;
    await mkdir(join(this.root, sha256.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, content, { flag: 'wx' });
      await rename(temporary, path);
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    return sha256;
  }

  /** The stored bytes of a hash, or null when the file is missing. */
  async open(sha256: string): Promise<ReadStream | null> {
    const path = this.pathOf(sha256);
    return (await exists(path)) ? createReadStream(path) : null;
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
