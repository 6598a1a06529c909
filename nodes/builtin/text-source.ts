import type { ContactEvent, EventAnalysis, RunContext } from '../contract';
import { analyzeText } from '../text/analyze';

/** Which event's text a text filter reads: the latest event (a reply after a wait) or the one that enrolled. */
export const textSourceSchema = {
  type: 'string', enum: ['event', 'trigger'], default: 'event', title: 'Text of',
  description: 'event = the latest event (e.g. a reply after a wait), trigger = the event that started the journey',
  'x-i18n': { 'zh-CN': { title: '分析哪条文本', description: 'event = 最新事件（如等待后的回复），trigger = 启动旅程的事件' } },
} as const;

export function sourceEvent(ctx: Pick<RunContext<unknown>, 'event' | 'trigger'>, source: 'event' | 'trigger' | undefined): ContactEvent {
  return source === 'trigger' ? ctx.trigger : ctx.event;
}

/** The event's text analysis: the one ingestion stored with it, else computed here (an event from a test run). */
export function analysisOf(event: ContactEvent): EventAnalysis {
  if (event.analysis) return event.analysis;
  const { language, sentiment } = analyzeText(event.text ?? '');
  return { language, sentiment };
}
