import { defineRuntime, NodeError, SendBlockedError, type ConfigOf, type LocalizedText, type OutboundMessage, type RunContext, type RunResult } from '../../contract';
import { inBothLanguages } from '../../field-messages';
import { renderMessage } from '../../message-template';
import { scopeOf } from '../scope';
import { responseReply } from './manifest';

type Config = ConfigOf<typeof responseReply>;
type Fallback = NonNullable<Config['fallback']>;
type Ctx = RunContext<Config>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The texts a fallback step may carry, in both languages (a step's message reads "English (中文)"). */
export const FALLBACK_TEXTS = {
  noIdentity: (channel: string): LocalizedText => ({
    en: `not sent: the contact has no identity on the fallback channel "${channel}"`,
    'zh-CN': `未发送：联系人在备用渠道“${channel}”上没有身份`,
  }),
  noEmail: (channel: string): LocalizedText => ({
    en: `not sent: the contact has no email address for the fallback channel "${channel}"`,
    'zh-CN': `未发送：联系人没有可用于备用渠道“${channel}”的邮箱地址`,
  }),
  unresolved: (names: string[]): LocalizedText => ({
    en: `not sent: the fallback message uses variables without a value and without a default (${names.join(', ')})`,
    'zh-CN': `未发送：备用消息中的变量没有值也没有默认值（${names.join('、')}）`,
  }),
  skipped: (channel: string, reason: string): LocalizedText => ({
    en: `not sent on the fallback channel "${channel}": ${reason}`,
    'zh-CN': `备用渠道“${channel}”未发送：${reason}`,
  }),
  failed: (channel: string, reason: string): LocalizedText => ({
    en: `the fallback on "${channel}" failed after the platform refused the reply (${reason})`,
    'zh-CN': `平台拒绝回复（${reason}）后，备用渠道“${channel}”发送失败`,
  }),
};

/** Where a fallback goes when it names no channel: the refusing channel for a template or DM, else email / sms. */
export function fallbackChannel(fb: Fallback, refusingChannel: string): string {
  if (fb.channel) return fb.channel;
  return fb.mode === 'email' ? 'email' : fb.mode === 'sms' ? 'sms' : refusingChannel;
}

/**
 * The contact's address on the fallback channel: the handle the reply was for when it is the same channel, else the
 * contact's identity there (an email fallback also takes profile.email). Undefined: the contact cannot be reached there.
 */
export function recipientOf(ctx: Pick<Ctx, 'contact' | 'event'>, fb: Fallback, channel: string): string | undefined {
  const candidate = channel === ctx.event.channel ? ctx.event.handle : ctx.contact.identities.find((i) => i.channel === channel)?.handle;
  if (fb.mode !== 'email') return candidate || undefined;
  const email = candidate ?? (typeof ctx.contact.profile.email === 'string' ? ctx.contact.profile.email : undefined);
  return email && EMAIL.test(email) ? email : undefined;
}

export default defineRuntime(responseReply, async (ctx) => {
  const { text, unresolved } = renderMessage(ctx.config.message, scopeOf(ctx));
  // A variable without a value and without a fallback would leave a hole in a message to a person: not sent.
  if (unresolved.length) return { port: 'skipped', output: { text, status: 'skipped', reason: 'unresolved_variables', unresolved } };
  const { channel, handle, threadId, id } = ctx.event;
  let result;
  try {
    result = await ctx.services.send({
      channel,
      to: handle,
      kind: ctx.config.mode,
      text,
      inReplyTo: ctx.config.mode === 'reply' ? (threadId ?? id) : undefined,
      ...(ctx.config.mode === 'dm' ? { respondsTo: threadId ?? id } : {}),
    });
  } catch (err) {
    if (!(err instanceof SendBlockedError)) throw err;
    // The platform's rules refuse it (outside WeChat's 48 h window…): the fallback when there is one, else the
    // `blocked` port, with the reason on the step.
    if (ctx.config.fallback) return sendFallback(ctx, ctx.config.fallback, text, err);
    return { port: 'blocked', output: { text, status: 'blocked', reason: err.code, message: err.message, ...err.params } };
  }
  return { port: result.status === 'sent' ? 'sent' : 'skipped', output: { text, ...result } };
});

/**
 * The fallback after a refused reply: the node's second send, so its own outbox row and idempotency key
 * (`…:message1`). A retried activity finds the reply's row refused again (the ledger replays the refusal) and this
 * row sent, so the fallback goes out once. Sent: the `sent` port with `output.fallback: { channel, mode, reason }`
 * (reason: why the reply was refused). Not sent (refused too, no consent, no identity on the channel…): `blocked`,
 * with the reply's reason and the fallback's (`fallback.refusal`). Never a silent drop.
 */
async function sendFallback(ctx: Ctx, fb: Fallback, replyText: string, refused: SendBlockedError): Promise<RunResult> {
  const channel = fallbackChannel(fb, ctx.event.channel);
  const taken = { channel, mode: fb.mode, reason: refused.code, message: refused.message };
  const blocked = (status: 'blocked' | 'skipped', refusal: Record<string, unknown>): RunResult => ({
    port: 'blocked',
    output: {
      text: replyText, status: 'blocked', reason: refused.code, message: refused.message, ...refused.params,
      reasons: [refused.code, refusal.reason], fallback: { ...taken, status, refusal },
    },
  });

  const to = recipientOf(ctx, fb, channel);
  if (!to) {
    const t = fb.mode === 'email' ? FALLBACK_TEXTS.noEmail(channel) : FALLBACK_TEXTS.noIdentity(channel);
    return blocked('skipped', { reason: 'no_identity', message: inBothLanguages(t) });
  }
  const built = buildMessage(ctx, fb, channel, to, replyText);
  if (built.unresolved.length) {
    return blocked('skipped', { reason: 'unresolved_variables', unresolved: built.unresolved, message: inBothLanguages(FALLBACK_TEXTS.unresolved(built.unresolved)) });
  }
  let result;
  try {
    result = await ctx.services.send(built.message);
  } catch (err) {
    if (err instanceof SendBlockedError) return blocked('blocked', { reason: err.code, message: err.message, ...err.params });
    // A failure of the fallback itself (not connected, a wrong template id…): the error port, naming both.
    if (err instanceof NodeError) throw new NodeError(err.code, `${inBothLanguages(FALLBACK_TEXTS.failed(channel, refused.code))}: ${err.message}`, { ...err.params, fallback: taken });
    throw err;
  }
  if (result.status !== 'sent') {
    const reason = result.reason ?? 'skipped';
    return blocked('skipped', { reason, message: inBothLanguages(FALLBACK_TEXTS.skipped(channel, reason)) });
  }
  return { port: 'sent', output: { text: built.message.text, ...result, fallback: { ...taken, status: 'sent' } } };
}

/** The fallback's message, rendered with the same variables as the reply. */
function buildMessage(ctx: Ctx, fb: Fallback, channel: string, to: string, replyText: string): { message: OutboundMessage; unresolved: string[] } {
  const scope = scopeOf(ctx);
  const unresolved = new Set<string>();
  const render = (template: string) => {
    const out = renderMessage(template, scope);
    for (const v of out.unresolved) unresolved.add(v);
    return out.text;
  };
  const text = fb.text !== undefined ? render(fb.text) : replyText;
  let message: OutboundMessage;
  if (fb.mode === 'template') {
    const data = Object.fromEntries(Object.entries(fb.templateData ?? {}).map(([k, v]) => [k, render(v)]));
    const url = fb.url !== undefined ? render(fb.url) : undefined;
    // The text is what the step and the outbox show; WeChat gets the template and its fields.
    const summary = fb.text !== undefined ? text : Object.values(data).join('\n');
    message = { channel, to, kind: 'dm', text: summary, data: { wechatTemplate: { templateId: fb.templateId!, data, ...(url ? { url } : {}), ...(fb.templateLanguage ? { language: fb.templateLanguage } : {}) } } };
  } else if (fb.mode === 'email') {
    // Header injection: a subject is one line whatever the variables contain.
    const subject = render(fb.subject ?? '').replace(/[\r\n]+/g, ' ').trim();
    message = { channel, to, kind: 'email', subject, text, data: { journeyId: ctx.journey.journeyId, nodeId: ctx.journey.nodeId, contactId: ctx.contact.id } };
  } else {
    message = { channel, to, kind: fb.mode, text };
  }
  return { message, unresolved: [...unresolved] };
}
