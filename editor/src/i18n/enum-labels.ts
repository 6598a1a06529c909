/**
 * How the form and the canvas show the fixed choices of node settings (`enum` values of the config schemas):
 * the stored value stays the schema's (`normal`), the marketer reads a word of their language (Normal / 普通).
 * Keyed by value, with `field.value` for a value whose meaning depends on the field. A unit test checks that
 * every enum value of every built-in node has both languages.
 */
import type { Lang } from './dictionary';

type Label = { en: string; 'zh-CN': string };
const l = (en: string, zh: string): Label => ({ en, 'zh-CN': zh });

export const ENUM_LABELS: Record<string, Label> = {
  // Matching
  all: l('All', '全部'), any: l('Any', '任一'), none: l('None', '都不'),
  // Reply mode
  reply: l('Public reply', '公开回复'), dm: l('Direct message', '私信'),
  // Reply fallback (`fallback.mode`)
  'mode.template': l('Template message (WeChat, WhatsApp)', '模板消息（微信、WhatsApp）'), 'mode.sms': l('SMS', '短信'), 'mode.email': l('Email', '邮件'),
  'mode.any': l('Any keyword', '任一关键词'), 'mode.all': l('All keywords', '全部关键词'),
  // HTTP
  POST: l('POST', 'POST'), PUT: l('PUT', 'PUT'), PATCH: l('PATCH', 'PATCH'),
  // Durations
  seconds: l('seconds', '秒'), minutes: l('minutes', '分钟'), hours: l('hours', '小时'), days: l('days', '天'), weeks: l('weeks', '周'),
  // Score thresholds and sentiment weighting
  up: l('Rises to or above', '升至或超过'), down: l('Falls below', '跌破'),
  with: l('Positive text adds', '正面加分'), against: l('Negative text adds (risk)', '负面加分（风险分）'),
  // Ticket priorities
  low: l('Low', '低'), normal: l('Normal', '普通'), high: l('High', '高'), urgent: l('Urgent', '紧急'),
  // Sentiment
  negative: l('Negative', '负面'), neutral: l('Neutral', '中性'), positive: l('Positive', '正面'),
  // Which text a text node reads
  event: l('Latest event', '最新事件'), trigger: l('Event that started the journey', '启动旅程的事件'),
  // Intents
  refund: l('Refund', '退款'), complaint: l('Complaint', '投诉'), purchase: l('Purchase', '购买'), support: l('Support request', '求助'),
  cancel: l('Cancellation', '取消'), shipping: l('Shipping', '物流'), praise: l('Praise', '表扬'),
  // Consent
  not_opted_out: l('Has not opted out', '未退订'), opted_in: l('Has opted in', '已同意接收'),
};

/** The label of an enum value of a field (`field` is the property name), or the value itself when unknown. */
export function enumLabel(field: string, value: unknown, lang: Lang): string {
  const v = String(value);
  const label = ENUM_LABELS[`${field}.${v}`] ?? ENUM_LABELS[v];
  return label ? label[lang] || label.en : v;
}
