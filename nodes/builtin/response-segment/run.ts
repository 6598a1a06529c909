import { defineRuntime } from '../../contract';
import { responseSegment } from './manifest';

export default defineRuntime(responseSegment, (ctx) => {
  const add = ctx.config.add ?? [];
  const remove = ctx.config.remove ?? [];
  const current = new Set(ctx.contact.segments ?? []);
  return {
    port: 'next',
    effects: add.length || remove.length ? [{ kind: 'segments', add, remove }] : [],
    output: { entered: add.filter((s) => !current.has(s)), left: remove.filter((s) => current.has(s)) },
  };
});
