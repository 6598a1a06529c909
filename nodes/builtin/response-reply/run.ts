import { defineRuntime } from '../../contract';
import { renderTemplate } from '../../template';
import { scopeOf } from '../scope';
import { responseReply } from './manifest';

export default defineRuntime(responseReply, async (ctx) => {
  const text = renderTemplate(ctx.config.message, scopeOf(ctx));
  const { channel, handle, threadId, id } = ctx.event;
  const result = await ctx.services.send({
    channel,
    to: handle,
    kind: ctx.config.mode,
    text,
    inReplyTo: ctx.config.mode === 'reply' ? (threadId ?? id) : undefined,
  });
  return { port: result.status === 'sent' ? 'sent' : 'skipped', output: { text, ...result } };
});
