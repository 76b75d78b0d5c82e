import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TicketMessageView, TicketView } from '@gridwatch/contracts';
import { TicketAttachmentEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, type TestApp } from './support/test-app';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('Ticket attachments (multipart)', () => {
  let t: TestApp;
  let dir: string;
  let support: TestUser;
  let viewer: TestUser;
  let ticket: TicketView;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridwatch-attachments-test-'));
    t = await createTestApp({ ATTACHMENTS_DIR: dir });
    const org = await t.factory.organization();
    support = await t.factory.user(org, 'support');
    viewer = await t.factory.user(org, 'viewer');
    ticket = (
      await t.http
        .post('/api/v1/tickets')
        .set('Authorization', support.auth)
        .send({ subject: 'Photo of the meter' })
        .expect(201)
    ).body;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = (as: TestUser, content: Buffer, filename: string, fields: object = {}) => {
    let request = t.http
      .post(`/api/v1/tickets/${ticket.id}/attachments`)
      .set('Authorization', as.auth);
    for (const [name, value] of Object.entries(fields))
      request = request.field(name, String(value));
    return request.attach('file', content, { filename, contentType: 'image/png' });
  };

  it('stores a PNG by its SHA-256, whatever the client named it, and lists it on its message', async () => {
    const response = await upload(support, PNG, '../../etc/passwd', { body: 'See photo' }).expect(
      201,
    );
    const message = response.body as TicketMessageView;
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    expect(message).toMatchObject({
      body: 'See photo',
      internal: false,
      attachments: [
        {
          fileName: 'passwd',
          contentType: 'image/png',
          sizeBytes: PNG.length,
          sha256,
        },
      ],
    });
    expect(filesUnder(dir)).toContain(join(sha256.slice(0, 2), sha256));
    expect(filesUnder(dir).some((file) => file.includes('passwd'))).toBe(false);
    expect(readFileSync(join(dir, sha256.slice(0, 2), sha256)).equals(PNG)).toBe(true);
    const listed = await t.http
      .get(`/api/v1/tickets/${ticket.id}/messages`)
      .set('Authorization', viewer.auth)
      .expect(200);
    expect(listed.body.items.at(-1).attachments[0].id).toBe(message.attachments[0]?.id);
  });

  it('serves the file only as a download, with nosniff, to callers with tickets:read', async () => {
    const message = (await upload(support, PNG, 'meter 3 (ü).png').expect(201))
      .body as TicketMessageView;
    const id = message.attachments[0]?.id as string;
    const download = await t.http
      .get(`/api/v1/attachments/${id}`)
      .set('Authorization', viewer.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="meter_3____.png"; filename*=UTF-8''meter%203%20%28%C3%BC%29.png`,
    );
    expect((download.body as Buffer).equals(PNG)).toBe(true);

    await t.http.get(`/api/v1/attachments/${id}`).expect(401);
    const outsider = await t.factory.user(await t.factory.organization(), 'owner');
    const foreign = await t.http
      .get(`/api/v1/attachments/${id}`)
      .set('Authorization', outsider.auth);
    expect([foreign.status, foreign.body.error]).toEqual([404, 'attachment_not_found']);
  });

  it('refuses an executable renamed .png with 415 and stores nothing', async () => {
    const before = filesUnder(dir);
    const refused = await upload(support, ELF, 'photo.png').expect(415);
    expect(refused.body.error).toBe('unsupported_media_type');
    expect(filesUnder(dir)).toEqual(before);
    expect(
      await t.db
        .getRepository(TicketAttachmentEntity)
        .countBy({ sha256: createHash('sha256').update(ELF).digest('hex') }),
    ).toBe(0);
  });

  it('refuses a file over 10 MiB with 413', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]);
    const response = await upload(support, big, 'big.png').catch(
      (error: { response?: { status: number; body: { error: string } } }) => error.response,
    );
    expect([response?.status, response?.body.error]).toEqual([413, 'payload_too_large']);
  });

  it('accepts exactly 10 MiB', async () => {
    const exact = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 - PNG.length)]);
    const response = await upload(support, exact, 'exact.png').expect(201);
    expect(response.body.attachments[0].sizeBytes).toBe(10 * 1024 * 1024);
  });

  it('keeps an internal note’s file from viewers (404) and lets writers download it', async () => {
    const text = Buffer.from('serial,imei\nGW-1,35...\n');
    const message = (await upload(support, text, 'sims.csv', { internal: true }).expect(201))
      .body as TicketMessageView;
    expect(message.attachments[0]?.contentType).toBe('text/csv');
    const id = message.attachments[0]?.id as string;
    const hidden = await t.http.get(`/api/v1/attachments/${id}`).set('Authorization', viewer.auth);
    expect([hidden.status, hidden.body.error]).toEqual([404, 'attachment_not_found']);
    await t.http.get(`/api/v1/attachments/${id}`).set('Authorization', support.auth).expect(200);
  });

  it('refuses uploads from viewers (403), without a file (400) and to another organization’s ticket (404)', async () => {
    expect((await upload(viewer, PNG, 'a.png')).status).toBe(403);
    const missing = await t.http
      .post(`/api/v1/tickets/${ticket.id}/attachments`)
      .set('Authorization', support.auth)
      .field('body', 'no file');
    expect([missing.status, missing.body.error]).toEqual([400, 'validation_failed']);
    const outsider = await t.factory.user(await t.factory.organization(), 'support');
    const foreign = await upload(outsider, PNG, 'a.png');
    expect([foreign.status, foreign.body.error]).toEqual([404, 'ticket_not_found']);
  });
});
