/**
 * Starts a real SMTP server process (smtp-server) on 127.0.0.1 and collects what it receives, decoded enough for
 * assertions: envelope recipients, Subject (RFC 2047 decoded), headers and the decoded text/html parts.
 * Its host:port is allow-listed while it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { allowOutbound } from './outbound-allow';

export interface ReceivedMail {
  from?: string;
  to: string[];
  subject: string;
  headers: Record<string, string>;
  text: string;
  html: string;
  raw: string;
}

export interface SmtpTestServer {
  port: number;
  url: string;
  messages: ReceivedMail[];
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_m, _cs, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

export function parseMail(raw: string, envelope: { from?: string; to: string[] }): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = parseHeaders(raw.slice(0, split));
  const rest = raw.slice(split).replace(/^\r?\n\r?\n/, '');
  let text = '';
  let html = '';
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? rest.split(`--${boundary}`).slice(1, -1) : [raw.slice(split)];
  for (const part of parts) {
    const p = part.replace(/^\r?\n/, '');
    const at = p.search(/\r?\n\r?\n/);
    const h = boundary ? parseHeaders(p.slice(0, at)) : headers;
    const body = decodeBody((boundary ? p.slice(at) : p).replace(/^\r?\n\r?\n/, '').trim(), h['content-transfer-encoding']);
    if ((h['content-type'] ?? '').startsWith('text/html')) html = body;
    else if ((h['content-type'] ?? 'text/plain').startsWith('text/plain')) text = body;
  }
  return { ...envelope, subject: decodeWords(headers.subject ?? ''), headers, text, html, raw };
}

/** `auth`: the one user and password the server accepts (without it every login is refused). */
export async function startSmtpServer(opts: { auth?: { user: string; password: string } } = {}): Promise<SmtpTestServer> {
  const script = fileURLToPath(new URL('./smtp-server.process.mjs', import.meta.url));
  const env = { ...process.env, ...(opts.auth ? { SMTP_TEST_USER: opts.auth.user, SMTP_TEST_PASSWORD: opts.auth.password } : {}) };
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const messages: ReceivedMail[] = [];
  const lines = readline.createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('smtp server did not start')), 10_000);
    child.once('exit', (code) => reject(new Error(`smtp server exited (${code})`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { port?: number; from?: string; to: string[]; raw: string };
      if (msg.port) {
        clearTimeout(timer);
        resolve(msg.port);
      } else messages.push(parseMail(msg.raw, { from: msg.from, to: msg.to }));
    });
  });
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.to.includes(address)),
    close: () => new Promise<void>((resolve) => {
      revoke();
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
