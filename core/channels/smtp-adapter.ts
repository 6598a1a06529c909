/** Email over SMTP with nodemailer (a maintained library): one pooled transport per SMTP settings. */
import nodemailer, { type Transporter } from 'nodemailer';
import { DELIVERY_REFUSED, NodeError, type OutboundMessage } from '../../nodes/contract';
import { smtpDestination } from '../outbound/destination-policy';
import type { SmtpChannelSettings } from '../store/channel-configs';
import { trackEmail, type EmailTracking } from './email-tracking';
import { workspaceOfKey } from './channel-adapter';

const transports = new Map<string, Transporter>();

async function transportFor(settings: SmtpChannelSettings, password: string | undefined): Promise<Transporter> {
  // The checked address, not the name: nodemailer would resolve the name again, and maybe to somewhere else.
  const { address, servername } = await smtpDestination(settings.host, settings.port);
  const key = JSON.stringify([address, servername, settings.port, settings.secure ?? false, settings.user ?? '', password ?? '']);
  let t = transports.get(key);
  if (!t) {
    t = nodemailer.createTransport({
      host: address, port: settings.port, secure: settings.secure ?? false,
      auth: settings.user ? { user: settings.user, pass: password ?? '' } : undefined,
      // Local/dev SMTP servers rarely have certificates; STARTTLS is still used when offered.
      tls: { rejectUnauthorized: settings.secure ?? false, servername },
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
    });
    if (transports.size > 50) transports.clear();
    transports.set(key, t);
  }
  return t;
}

/** "Test connection": connects, EHLO (STARTTLS when offered) and logs in when a user is set, sending nothing. */
export async function smtpVerify(settings: SmtpChannelSettings, password: string | undefined): Promise<void> {
  await (await transportFor(settings, password)).verify();
}

/** SMTP settings from a URL (smtp://user:pass@host:port?from=...), for the JOURNEYS_SMTP_URL fallback. */
export function smtpSettingsFromUrl(url: string): { settings: SmtpChannelSettings; password?: string } {
  const u = new URL(url);
  return {
    settings: {
      kind: 'smtp', host: u.hostname, port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)), secure: u.protocol === 'smtps:',
      user: u.username ? decodeURIComponent(u.username) : undefined, from: u.searchParams.get('from') ?? `journeys@${u.hostname}`,
    },
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/**
 * Sends the email. With `tracking` and a known contact (a journey's email), links are tracked, an open pixel is
 * added and List-Unsubscribe (one-click) offered; the same outbox key always gives the same links.
 */
export async function smtpSend(settings: SmtpChannelSettings, password: string | undefined, message: OutboundMessage, idempotencyKey: string, tracking?: EmailTracking): Promise<{ providerId: string }> {
  const data = (message.data ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const contactId = str(data.contactId);
  const tracked = tracking && contactId
    ? trackEmail(str(data.html), { w: workspaceOfKey(idempotencyKey), c: contactId, k: idempotencyKey, j: str(data.journeyId), n: str(data.nodeId) }, tracking)
    : undefined;
  const transport = await transportFor(settings, password);
  const info = await transport.sendMail({
    from: settings.from,
    to: message.to,
    subject: message.subject ?? '',
    text: message.text,
    html: tracked ? tracked.html : str(data.html),
    // A stable Message-ID per outbox key: receivers and our own open tracking can dedupe a retried send.
    messageId: `<${idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@journeys>`,
    headers: {
      'X-Journeys-Key': idempotencyKey,
      ...(typeof data.campaign === 'string' ? { 'X-Journeys-Campaign': data.campaign } : {}),
      ...(tracked?.headers ?? {}),
    },
  }).catch((err: unknown) => {
    throw permanentRefusal(err) ?? err;
  });
  return { providerId: info.messageId };
}

/**
 * An SMTP answer that no retry changes (5xx: no such mailbox, relaying denied) as the node error that becomes
 * message.failed; temporary ones (4xx, connection errors) stay errors the activity retries.
 */
function permanentRefusal(err: unknown): NodeError | undefined {
  const e = err as { responseCode?: unknown; response?: unknown; rejected?: unknown };
  if (typeof e.responseCode !== 'number' || e.responseCode < 500 || e.responseCode > 599) return undefined;
  const response = typeof e.response === 'string' ? e.response.slice(0, 300) : '';
  return new NodeError(DELIVERY_REFUSED, `the receiving mail server refused the email: ${response || e.responseCode}`, { responseCode: e.responseCode, response });
}
