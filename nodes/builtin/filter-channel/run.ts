import { defineRuntime } from '../../contract';
import { sourceEvent } from '../text-source';
import { filterChannel } from './manifest';

export default defineRuntime(filterChannel, (ctx) => {
  const channel = sourceEvent(ctx, ctx.config.source).channel;
  const result = ctx.config.channels.includes(channel);
  return { port: result ? 'yes' : 'no', evaluated: { channel, channels: ctx.config.channels, result } };
});
