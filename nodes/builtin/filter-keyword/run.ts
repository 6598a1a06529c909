import { defineRuntime } from '../../contract';
import { matchKeywords } from '../../text/analyze';
import { INTENTS } from '../../text/intents';
import { sourceEvent } from '../text-source';
import { filterKeyword } from './manifest';

export default defineRuntime(filterKeyword, (ctx) => {
  const { keywords = [], synonyms, intents = [], mode = 'any', source } = ctx.config;
  const text = sourceEvent(ctx, source).text ?? '';
  const kw = keywords.length ? matchKeywords(text, keywords, { synonyms, mode }) : { matched: false, found: [] as string[] };
  const intentsFound = intents.filter((i) => matchKeywords(text, [...INTENTS[i]]).matched);
  const intentsOk = mode === 'all' ? intentsFound.length === intents.length : intentsFound.length > 0;
  let result: boolean;
  if (keywords.length && intents.length) result = mode === 'all' ? kw.matched && intentsOk : kw.matched || intentsOk;
  else result = keywords.length ? kw.matched : intentsOk;
  return { port: result ? 'yes' : 'no', evaluated: { found: kw.found, intents: intentsFound, mode, result } };
});
