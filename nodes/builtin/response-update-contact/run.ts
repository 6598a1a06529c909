import { defineRuntime, type Effect } from '../../contract';
import { responseUpdateContact } from './manifest';

export default defineRuntime(responseUpdateContact, (ctx) => {
  const effects: Effect[] = [];
  if (ctx.config.set && Object.keys(ctx.config.set).length) effects.push({ kind: 'contact.set', fields: ctx.config.set });
  if (ctx.config.addTags?.length || ctx.config.removeTags?.length) {
    effects.push({ kind: 'contact.tags', add: ctx.config.addTags ?? [], remove: ctx.config.removeTags ?? [] });
  }
  return { port: 'next', effects };
});
