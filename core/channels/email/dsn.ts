/**
 * Delivery status notifications (RFC 3464): the report a receiving server mails back when it gives up on a message
 * after accepting it (a bounce). A multipart/report holds a message/delivery-status part — per recipient its
 * Final-Recipient, Action and Status (5.x.x permanent, 4.x.x delayed) — and the returned message or its headers,
 * where our X-Journeys-Key names the outbox row of the send. Only what a bounce needs is read.
 */
export interface DsnRecipient {
  recipient: string;
  action: string;
  status: string;
  diagnostic?: string;
}

export interface Dsn {
  recipients: DsnRecipient[];
  /** The outbox key of the returned message (X-Journeys-Key), when its headers came back. */
  journeysKey?: string;
}

/** Header fields of a block (continuation lines joined), names lower-cased; the first value of each name. */
function fields(block: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of block.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!(name in out)) out[name] = line.slice(i + 1).trim();
  }
  return out;
}

/** The parts of a multipart body (RFC 2046), each as [headers, body], nested multiparts flattened. */
function parts(raw: string): { headers: Record<string, string>; body: string }[] {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = fields(split < 0 ? text : text.slice(0, split));
  const body = split < 0 ? '' : text.slice(split + 2);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!/^multipart\//i.test(headers['content-type'] ?? '') || !boundary) return [{ headers, body }];
  return body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).flatMap((p) => parts(p.replace(/^\n/, '')));
}

/** The DSN in a raw message, or undefined when it is no delivery-status report. */
export function parseDsn(raw: string): Dsn | undefined {
  const all = parts(raw);
  const status = all.find((p) => /^message\/delivery-status/i.test(p.headers['content-type'] ?? ''));
  if (!status) return undefined;
  // Per-message fields, then one block per recipient, separated by blank lines.
  const blocks = status.body.split(/\n\s*\n/).map(fields).filter((f) => f['final-recipient'] || f['original-recipient']);
  const recipients = blocks.map((f) => ({
    recipient: (f['final-recipient'] ?? f['original-recipient']).replace(/^rfc822;\s*/i, '').replace(/[<>]/g, '').trim(),
    action: (f.action ?? '').toLowerCase(),
    status: (f.status ?? '').trim(),
    ...(f['diagnostic-code'] ? { diagnostic: f['diagnostic-code'].replace(/^smtp;\s*/i, '').slice(0, 500) } : {}),
  }));
  const returned = all.find((p) => /^(text\/rfc822-headers|message\/rfc822)/i.test(p.headers['content-type'] ?? ''));
  const key = returned && fields(returned.body.split(/\n\s*\n/)[0])['x-journeys-key'];
  return { recipients, ...(key ? { journeysKey: key } : {}) };
}

/** A permanent failure (Action failed, Status 5.x.x): the message will not arrive. */
export const isHardBounce = (r: DsnRecipient) => r.action === 'failed' && r.status.startsWith('5');
