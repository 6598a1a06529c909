import { defineRuntime } from '../../contract';
import { filterConsent } from './manifest';

export default defineRuntime(filterConsent, (ctx) => {
  const channel = !ctx.config.channel || ctx.config.channel === 'event' ? ctx.event.channel : ctx.config.channel;
  const status = ctx.contact.consent[channel]?.status;
  const result = (ctx.config.require ?? 'not_opted_out') === 'opted_in' ? status === 'opted_in' : status !== 'opted_out';
  return { port: result ? 'yes' : 'no', evaluated: { channel, status: status ?? 'unknown', result } };
});
