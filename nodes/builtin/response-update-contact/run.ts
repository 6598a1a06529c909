import { defineRuntime, type Effect } from '../../contract';
import { responseUpdateContact } from './manifest';

export default defineRuntime(responseUpdateContact, async (ctx) => {
  const effects: Effect[] = [];
  if (ctx.config.set && Object.keys(ctx.config.set).length) effects.push({ kind: 'contact.set', fields: ctx.config.set });
  const add = ctx.config.addTags ?? [];
  const remove = ctx.config.removeTags ?? [];
  if (!add.length && !remove.length) return { port: 'next', effects };
  effects.push({ kind: 'contact.tags', add, remove });
  // Platforms that keep tags of their own (WeCom's corp tags) get the same change, so staff see it there too.
  const tagSync = (await ctx.services.syncTags?.({ add, remove })) ?? [];
  return { port: 'next', effects, ...(tagSync.length ? { output: { tagSync } } : {}) };
});
