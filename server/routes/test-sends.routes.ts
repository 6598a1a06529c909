/**
 * POST /api/v1/test-sends — a message node's texts, as the editor's "Preview for…" rendered them for a contact,
 * sent for real to an address or handle the marketer types (their own inbox, a colleague's account), through the
 * workspace's connected channel and its destination policy. Marked as a test: "[Test]" before the subject (email)
 * or the text. Nothing is written to a contact; a channel nobody connected only records it (the answer says so).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { channelOptions, createChannelRegistry } from '../../core/channels/index';
import { loadConfig } from '../../core/config';
import { AppError } from '../../core/errors';
import { redactText } from '../../core/logging/redact';
import { DestinationRefusedError } from '../../core/outbound/destination-policy';
import { NodeError } from '../../nodes/contract';
import type { AppDeps } from '../app-deps';
import { typed } from '../http/typed';
import { object, str } from '../http/responses/shapes';
import { errorResponse } from './schemas';

const testSendBody = {
  type: 'object',
  properties: {
    channel: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$', description: 'A connected channel, e.g. email, wechat, whatsapp' },
    to: { type: 'string', minLength: 1, maxLength: 320, description: 'Where the test goes: an email address, or a handle on the channel' },
    kind: { type: 'string', enum: ['email', 'dm'], description: 'An email (subject, text, html) or a direct message (text)' },
    subject: { type: 'string', maxLength: 300 },
    text: { type: 'string', minLength: 1, maxLength: 20_000 },
    html: { type: 'string', maxLength: 200_000 },
  },
  required: ['channel', 'to', 'kind', 'text'],
  additionalProperties: false,
} as const;

const testSendResponse = object({ status: { type: 'string', enum: ['sent', 'recorded'] }, providerId: str });

export async function testSendRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const api = typed(app);
  const channels = createChannelRegistry(deps.store, channelOptions(loadConfig()));

  api.post('/api/v1/test-sends', {
    config: { permission: 'journeys.write' },
    schema: {
      tags: ['journeys'], summary: 'Send a message node\'s rendered texts to yourself as a test, through a connected channel',
      body: testSendBody, response: { 200: testSendResponse, 400: errorResponse, 422: errorResponse },
    },
  }, async (req) => {
    const b = req.body;
    const key = `${req.workspaceId}|test-send:${randomUUID()}`;
    const prefix = '[Test] ';
    const message = b.kind === 'email'
      ? { channel: b.channel, to: b.to, kind: 'email' as const, subject: `${prefix}${(b.subject ?? '').replace(/[\r\n]+/g, ' ')}`, text: b.text, data: b.html ? { html: b.html } : {} }
      : { channel: b.channel, to: b.to, kind: 'dm' as const, text: `${prefix}${b.text}` };
    try {
      const { providerId } = await channels.for(b.channel).send(message, key);
      return { status: providerId.startsWith('recorded:') ? 'recorded' as const : 'sent' as const, providerId };
    } catch (err) {
      // The platform's or the policy's words, with anything secret-looking (a bot token in a URL) taken out.
      const reason = err instanceof NodeError || err instanceof DestinationRefusedError ? err.message : String((err as Error).message ?? 'failed');
      throw new AppError('test_send_failed', { reason: redactText(reason).slice(0, 500) });
    }
  });
}
