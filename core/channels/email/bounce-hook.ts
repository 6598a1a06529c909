/**
 * Bounces by mail: the bounce mailbox's forwarder (a Postfix pipe, an inbound-parse webhook) posts each DSN it gets
 * as the raw message to /api/v1/hooks/:workspaceId/:channel of the SMTP channel, with the channel's webhook secret
 * as `Authorization: Bearer <secret>` (401 and nothing stored otherwise). A hard bounce of one of our sends (its
 * X-Journeys-Key names the outbox row) marks the row's delivery failed and becomes message.failed of the contact the
 * email went to — once per send, however often the report arrives.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ingestForContacts, type EngineDeps } from '../../engine/ingest';
import { AppError } from '../../errors';
import { channelWebhookSecret } from '../../store/channel-configs';
import { json, type InboundHook } from '../inbound-hooks';
import { isHardBounce, parseDsn } from './dsn';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function emailBounceHook(deps: EngineDeps): InboundHook {
  return {
    async receive(req) {
      const secret = await channelWebhookSecret(deps.store, req.workspaceId, req.channel);
      const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      if (!secret || !given || !same(given, secret)) {
        throw new AppError('bad_signature', {
          field: 'headers/authorization', problem: { en: 'is not the channel\'s webhook secret as a bearer token', 'zh-CN': '不是该渠道以 Bearer 形式提供的 Webhook 密钥' },
          channel: { en: `email channel "${req.channel}"`, 'zh-CN': `邮件渠道“${req.channel}”` },
        }, { reason: given ? 'mismatch' : 'missing' });
      }
      const dsn = parseDsn(req.raw);
      const bounce = dsn?.recipients.find(isHardBounce);
      if (!dsn || !bounce || !dsn.journeysKey?.startsWith(`${req.workspaceId}|`)) return json(200, { bounces: 0 });
      const row = await deps.store.outbox.findOneAndUpdate(
        { _id: dsn.journeysKey, workspaceId: req.workspaceId },
        { $set: { 'result.delivery': { status: 'failed', reason: 'bounced', dsnStatus: bounce.status, diagnostic: bounce.diagnostic, at: new Date() }, updatedAt: new Date() } },
        { returnDocument: 'after' },
      );
      const contact = row && await deps.store.contacts.findOne({ _id: row.contactId, workspaceId: req.workspaceId });
      if (!row || !contact) return json(200, { bounces: 0 });
      const run = await deps.store.enrollments.findOne({ _id: row.enrollmentId, workspaceId: req.workspaceId }, { projection: { journeyId: 1 } });
      await ingestForContacts(deps, req.workspaceId, [{
        contact,
        event: {
          id: `message.failed:bounce:${createHash('sha256').update(row._id).digest('hex').slice(0, 32)}`, type: 'message.failed', channel: 'email',
          handle: bounce.recipient, occurredAt: new Date().toISOString(),
          data: { outboxId: row._id, reason: 'bounced', dsnStatus: bounce.status, ...(bounce.diagnostic ? { diagnostic: bounce.diagnostic } : {}), nodeId: row.nodeId, ...(run ? { journeyId: run.journeyId } : {}) },
        },
      }]);
      return json(200, { bounces: 1 });
    },
  };
}
