import { badRequest } from '../errors';
/**
 * Inbound platform webhooks at a URL that names the workspace (`/api/v1/hooks/:workspaceId/:channel`), for
 * platforms that cannot send our headers (WeChat, Meta, Twilio… post to a URL pasted into their console).
 * Each connected channel's `settings.kind` picks the handler: it checks the platform's own handshake and signature
 * scheme, turns the payload into events and answers the way the platform expects (WeChat wants "success" or a
 * passive reply as XML, Meta the challenge as plain text).
 */
import type { ChannelConfigDoc } from '../store/channel-configs';

export interface HookRequest {
  workspaceId: string;
  channel: string;
  config: ChannelConfigDoc;
  /** The raw body, exactly as received: signatures cover the bytes. */
  raw: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The path and query as received (Twilio signs the full URL it called). */
  url?: string;
}

export interface HookAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface InboundHook {
  /** The platform's URL verification (a GET with a challenge), when it has one. */
  handshake?(req: HookRequest): Promise<HookAnswer>;
  /** One delivery: verify, parse, ingest. Throws AppError (4xx) for a delivery that must be refused. */
  receive(req: HookRequest): Promise<HookAnswer>;
}

export const json = (status: number, value: unknown): HookAnswer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });
export const text = (status: number, value: string): HookAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: value });

/** A webhook's JSON body (after its signature was checked), or a 400 naming it. */
export function parseJsonBody(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest([{ path: '/', message: 'must be JSON', code: 'invalid_json', i18n: { en: 'must be JSON', 'zh-CN': '必须是 JSON' } }]);
  }
}
