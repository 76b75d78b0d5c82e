/** Content types a ticket attachment may have; anything else is refused (HTTP 415). */
export const ATTACHMENT_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
] as const;
export type AttachmentContentType = (typeof ATTACHMENT_CONTENT_TYPES)[number];

interface Signature {
  type: AttachmentContentType;
  /** Byte values from `offset`; null matches any byte. */
  bytes: ReadonlyArray<number | null>;
  offset?: number;
}

const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/** Leading bytes ("magic numbers") of the binary formats of the allow-list. */
const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF87a') },
  { type: 'image/gif', bytes: ascii('GIF89a') },
  { type: 'image/webp', bytes: [...ascii('RIFF'), null, null, null, null, ...ascii('WEBP')] },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
];

function matches(content: Uint8Array, signature: Signature): boolean {
  const offset = signature.offset ?? 0;
  if (content.length < offset + signature.bytes.length) return false;
  return signature.bytes.every((byte, i) => byte === null || content[offset + i] === byte);
}

/** UTF-8 text without NUL or other control characters than tab, line feed and carriage return. */
function isPlainText(content: Uint8Array): boolean {
  if (content.length === 0) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}

/**
 * The content type of an attachment judged from its bytes, never from the client's name or
 * header: a binary format by its leading bytes, else text when it is clean UTF-8 (CSV when the
 * client named it `.csv` or sent text/csv). Null: not on the allow-list.
 */
export function detectAttachmentType(
  content: Uint8Array,
  declared: { fileName?: string; contentType?: string } = {},
): AttachmentContentType | null {
  const binary = SIGNATURES.find((signature) => matches(content, signature));
  if (binary) return binary.type;
  if (!isPlainText(content)) return null;
  const csv =
    declared.contentType?.toLowerCase().startsWith('text/csv') === true ||
    declared.fileName?.toLowerCase().endsWith('.csv') === true;
  return csv ? 'text/csv' : 'text/plain';
}

/**
 * The client's file name for display and downloads: the last path segment, without control
 * characters, at most 200 characters. `../../etc/passwd` becomes `passwd`.
 */
export function attachmentFileName(raw: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are dropped
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]/g, '');
  const base = cleaned.split(/[/\\]/).pop()?.trim() ?? '';
  const name = base === '.' || base === '..' ? '' : base;
  return (name || 'attachment').slice(-200);
}
