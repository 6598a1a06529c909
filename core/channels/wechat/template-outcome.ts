/**
 * What became of a template message (模板消息): WeChat reports it with a TEMPLATESENDJOBFINISH event carrying the
 * msgid the send answered and a Status (模板消息发送结果通知,
 * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html).
 * It becomes the contact's `message.delivered` or `message.failed`, which journeys can wait for or start on (a
 * blocked template falls back to SMS…). The send kept that msgid as the outbox row's providerId, so the event names
 * the row, its run and node, and the row records the outcome.
 */
import type { ContactEvent, LocalizedText } from '../../../nodes/contract';
import { findContactByIdentity } from '../../store/contacts';
import type { Store } from '../../store/db';

export const TEMPLATE_FINISH_EVENT = 'TEMPLATESENDJOBFINISH';

export type TemplateFailure = 'user_block' | 'system_failed' | 'failed';

export const TEMPLATE_FAILURES: Record<TemplateFailure, LocalizedText> = {
  user_block: { en: 'not delivered: the user has turned off template messages from this account', 'zh-CN': '未送达：用户已拒收此公众号的模板消息' },
  system_failed: { en: 'not delivered: WeChat failed to deliver it (system failure)', 'zh-CN': '未送达：微信系统原因发送失败' },
  failed: { en: 'not delivered: WeChat reported a failure', 'zh-CN': '未送达：微信报告发送失败' },
};

/**
 * WeChat's Status as an outcome: "success", "failed:user block", "failed: system failed" (its spacing varies).
 * Undefined for a status WeChat has not documented: neither delivery nor failure is claimed for it.
 */
export function templateOutcome(status: string): { delivered: true } | { delivered: false; reason: TemplateFailure } | undefined {
  const s = status.toLowerCase().replace(/\s+/g, '');
  if (s === 'success') return { delivered: true };
  if (s === 'failed:userblock') return { delivered: false, reason: 'user_block' };
  if (s === 'failed:systemfailed') return { delivered: false, reason: 'system_failed' };
  if (s.startsWith('failed')) return { delivered: false, reason: 'failed' };
  return undefined;
}

/** The contact event of a finished template job; `wechatFields` are the push's own fields, kept under their names. */
export function templateOutcomeEvent(o: { channel: string; openid: string; msgId: string; status: string; occurredAt: string; wechatFields: Record<string, unknown> }): ContactEvent | undefined {
  const outcome = templateOutcome(o.status);
  if (!outcome) return undefined;
  return {
    // One job, one outcome: two templates finishing in the same second for one user are two events.
    id: `wechat:template:${o.msgId}`,
    type: outcome.delivered ? 'message.delivered' : 'message.failed',
    channel: o.channel, handle: o.openid, occurredAt: o.occurredAt,
    data: {
      ...o.wechatFields, providerId: o.msgId, kind: 'template',
      ...(outcome.delivered ? {} : { reason: outcome.reason, reasonText: TEMPLATE_FAILURES[outcome.reason] }),
    },
  };
}

/**
 * Finds the outbox row whose send WeChat answered with this msgid, records the outcome on it (`result.delivery`)
 * and names it on the event. The row is looked for among the contact's sends on the channel (the outbox index), so
 * a msgid of another system using the same account finds nothing and the event goes on unlinked.
 */
export async function linkTemplateOutcome(store: Store, workspaceId: string, event: ContactEvent): Promise<ContactEvent> {
  const contact = await findContactByIdentity(store, workspaceId, { channel: event.channel, handle: event.handle });
  if (!contact) return event;
  const providerId = String(event.data?.providerId ?? '');
  const row = await store.outbox.findOne(
    { workspaceId, contactId: contact._id, channel: event.channel, kind: 'message', 'result.providerId': providerId },
    { projection: { _id: 1, enrollmentId: 1, nodeId: 1 } },
  );
  if (!row) return event;
  // Meta also reports reads (message.read), which follow the delivery and say more of it.
  const status = event.type === 'message.delivered' ? 'delivered' : event.type === 'message.read' ? 'read' : 'failed';
  const delivery = { status, ...(status === 'failed' ? { reason: event.data?.reason } : {}), at: new Date(event.occurredAt), eventId: event.id };
  await store.outbox.updateOne({ _id: row._id }, { $set: { 'result.delivery': delivery, updatedAt: new Date() } });
  const run = await store.enrollments.findOne({ _id: row.enrollmentId, workspaceId }, { projection: { journeyId: 1 } });
  return { ...event, data: { ...event.data, outboxId: row._id, enrollmentId: row.enrollmentId, nodeId: row.nodeId, ...(run ? { journeyId: run.journeyId } : {}) } };
}
