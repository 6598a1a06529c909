/**
 * The generic HTTP adapter: any platform whose API takes a JSON POST for replies and direct messages and answers a
 * GET for profiles. Paths are configured per channel; the token goes in a header; the outbox key is passed as
 * Idempotency-Key so a retried send is deduplicated by platforms that support it.
 */
import type { OutboundMessage } from '../../nodes/contract';
import { outboundHttp } from '../outbound/destination-policy';
import type { HttpChannelSettings } from '../store/channel-configs';
import type { PlatformProfile } from './channel-adapter';

export class ChannelSendError extends Error {
  override name = 'ChannelSendError';
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

function join(base: string, path: string, handle: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '').replace('{handle}', encodeURIComponent(handle));
}

export function authHeaders(settings: HttpChannelSettings, token: string | undefined): Record<string, string> {
  if (!token) return {};
  const header = (settings.authHeader ?? 'authorization').toLowerCase();
  return { [header]: header === 'authorization' ? `Bearer ${token}` : token };
}

export async function httpSend(settings: HttpChannelSettings, token: string | undefined, message: OutboundMessage, idempotencyKey: string, timeoutMs = 15_000): Promise<{ providerId: string }> {
  const path = message.kind === 'reply' ? (settings.replyPath ?? '/replies') : (settings.dmPath ?? '/messages');
  const url = join(settings.baseUrl, path, message.to);
  const res = await outboundHttp(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, ...authHeaders(settings, token) },
    body: JSON.stringify({ to: message.to, kind: message.kind, text: message.text, inReplyTo: message.inReplyTo, subject: message.subject }),
    timeoutMs,
  });
  // Status only: the message ends up on the step, and a platform's error page can echo tokens or contact data.
  if (!res.ok) throw new ChannelSendError(`${message.channel} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`, res.status);
  let id: unknown;
  try {
    const body = JSON.parse(res.body) as Record<string, unknown>;
    id = body.id ?? body.message_id ?? body.messageId;
  } catch {
    // a platform answering plain text: no provider id
  }
  return { providerId: typeof id === 'string' || typeof id === 'number' ? String(id) : `${message.channel}:${idempotencyKey}` };
}

export async function httpFetchProfile(settings: HttpChannelSettings, token: string | undefined, handle: string): Promise<PlatformProfile | undefined> {
  if (!settings.profilePath) return undefined;
  const res = await outboundHttp(join(settings.baseUrl, settings.profilePath, handle), { headers: authHeaders(settings, token), timeoutMs: 10_000, maxBodyChars: 64_000 });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new ChannelSendError(`profile of ${handle}: ${res.status}`, res.status);
  return { handle, ...(JSON.parse(res.body) as Record<string, unknown>) };
}
