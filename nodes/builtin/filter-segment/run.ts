import { defineRuntime } from '../../contract';
import { filterSegment } from './manifest';

export default defineRuntime(filterSegment, (ctx) => {
  const member = new Set(ctx.contact.segments ?? []);
  const { segments, match = 'any' } = ctx.config;
  const hits = segments.filter((s) => member.has(s));
  const result = match === 'all' ? hits.length === segments.length : match === 'none' ? hits.length === 0 : hits.length > 0;
  return { port: result ? 'yes' : 'no', evaluated: { memberOf: hits, match, result } };
});
