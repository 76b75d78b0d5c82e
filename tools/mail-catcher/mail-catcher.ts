/**
 * The demo's local mail catcher: an SMTP server that accepts every message (no TLS, no auth)
 * and keeps the last ones in memory, so a newcomer sees the e-mail an alert sends.
 * Each message is logged (tools/start.sh writes the log to .gridwatch/logs/mail-catcher.log) and
 * listed on a local page: http://127.0.0.1:$MAIL_CATCHER_HTTP_PORT/ (JSON at /messages.json).
 * Env: MAIL_CATCHER_SMTP_PORT (1025), MAIL_CATCHER_HTTP_PORT (1080); both bind to 127.0.0.1.
 */
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

interface CaughtMessage {
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  raw: string;
}

const KEEP = 200;
const MAX_BYTES = 1024 * 1024;
const smtpPort = Number(process.env['MAIL_CATCHER_SMTP_PORT'] ?? 1025);
const httpPort = Number(process.env['MAIL_CATCHER_HTTP_PORT'] ?? 1080);
const messages: CaughtMessage[] = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: MAX_BYTES,
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const message: CaughtMessage = {
        receivedAt: new Date().toISOString(),
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
        subject: /^Subject: (.*)$/im.exec(raw)?.[1]?.trim() ?? '(no subject)',
        raw,
      };
      messages.unshift(message);
      messages.length = Math.min(messages.length, KEEP);
      console.log(
        `[mail-catcher] ${message.receivedAt} to ${message.to.join(', ')}: ${message.subject}\n${bodyOf(raw)}\n`,
      );
      callback();
    });
  },
});

function bodyOf(raw: string): string {
  const start = raw.indexOf('\r\n\r\n');
  return (start >= 0 ? raw.slice(start + 4) : raw).trim();
}

function escape(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );
}

function page(): string {
  const items = messages
    .map(
      (m) =>
        `<article><h2>${escape(m.subject)}</h2><p>${escape(m.receivedAt)} from ${escape(m.from)} to ${escape(m.to.join(', '))}</p><pre>${escape(bodyOf(m.raw))}</pre></article>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>GridWatch mail catcher</title><style>body{font-family:sans-serif;margin:2rem}article{border-bottom:1px solid #ccc;padding:.5rem 0}pre{white-space:pre-wrap}</style></head><body><h1>Mail caught on port ${smtpPort} (${messages.length})</h1>${items || '<p>No mail yet: alerts with the e-mail channel send here.</p>'}</body></html>`;
}

const http = createServer((request, response) => {
  if (request.url === '/messages.json') {
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(messages));
    return;
  }
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page());
});

smtp.listen(smtpPort, '127.0.0.1', () =>
  console.log(
    `[mail-catcher] SMTP on 127.0.0.1:${smtpPort} (SMTP_URL=smtp://127.0.0.1:${smtpPort})`,
  ),
);
http.listen(httpPort, '127.0.0.1', () =>
  console.log(`[mail-catcher] caught mail on http://127.0.0.1:${httpPort}/`),
);
smtp.on('error', (error: Error) => console.error(`[mail-catcher] SMTP error: ${error.message}`));

function stop(): void {
  http.close();
  smtp.close(() => process.exit(0));
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
