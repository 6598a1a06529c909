import { defineRuntime, SendBlockedError } from '../../contract';
import { renderMessage } from '../../template';
import { scopeOf } from '../scope';
import { responseReply } from './manifest';

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
    });
  } catch (err) {
    // The platform's rules refuse it (outside WeChat's 48 h window…): the `blocked` port, with the reason on the step.
    if (err instanceof SendBlockedError) return { port: 'blocked', output: { text, status: 'blocked', reason: err.code, message: err.message, ...err.params } };
    throw err;
  }
  return { port: result.status === 'sent' ? 'sent' : 'skipped', output: { text, ...result } };
});
