import { attachmentFileName, detectAttachmentType } from './attachment-content-type';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('detectAttachmentType', () => {
  it.each([
    ['image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13)],
    ['image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16)],
    ['image/gif', text('GIF89a\u0001\u0000')],
    ['image/gif', text('GIF87a\u0001\u0000')],
    ['image/webp', Uint8Array.from([...text('RIFF'), 36, 0, 0, 0, ...text('WEBPVP8 ')])],
    ['application/pdf', text('%PDF-1.7\n%\u00e2\u00e3')],
    ['text/plain', text('Meter 7 reads zero since Monday.\r\n\tThanks, Ana ✓')],
  ])('recognises %s from its bytes', (type, content) => {
    expect(detectAttachmentType(content, { fileName: 'whatever.bin' })).toBe(type);
  });

  it('calls clean text CSV only when the client named it so', () => {
    const csv = text('ts,value\n2026-12-07T08:00:00Z,1.5\n');
    expect(detectAttachmentType(csv, { fileName: 'export.CSV' })).toBe('text/csv');
    expect(detectAttachmentType(csv, { contentType: 'text/csv; charset=utf-8' })).toBe('text/csv');
    expect(detectAttachmentType(csv, { fileName: 'export.txt' })).toBe('text/plain');
  });

  it('refuses executables whatever their name says', () => {
    const elf = bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0);
    const pe = Uint8Array.from([...text('MZ'), 0x90, 0, 3, 0, 0, 0, 4, 0]);
    expect(detectAttachmentType(elf, { fileName: 'photo.png', contentType: 'image/png' })).toBe(
      null,
    );
    expect(detectAttachmentType(pe, { fileName: 'photo.png' })).toBe(null);
  });

  it('refuses empty files, invalid UTF-8 and text with control characters', () => {
    expect(detectAttachmentType(new Uint8Array())).toBe(null);
    expect(detectAttachmentType(bytes(0x68, 0x69, 0xc3))).toBe(null);
    expect(detectAttachmentType(text('a\u0000b'))).toBe(null);
    expect(detectAttachmentType(text('#!/bin/sh\u001b[31m'))).toBe(null);
  });

  it('needs the whole signature (a truncated PNG header is not a PNG)', () => {
    expect(detectAttachmentType(bytes(0x89, 0x50, 0x4e))).toBe(null);
  });
});

describe('attachmentFileName', () => {
  it('keeps only the last path segment', () => {
    expect(attachmentFileName('../../etc/passwd')).toBe('passwd');
    expect(attachmentFileName('C:\\Users\\ana\\meter.png')).toBe('meter.png');
  });

  it('drops control characters and falls back when nothing is left', () => {
    expect(attachmentFileName('re\u0000port\n.pdf')).toBe('report.pdf');
    expect(attachmentFileName('../..')).toBe('attachment');
    expect(attachmentFileName('')).toBe('attachment');
  });

  it('keeps names at 200 characters, keeping the extension', () => {
    const name = attachmentFileName(`${'a'.repeat(300)}.png`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.png')).toBe(true);
  });
});
