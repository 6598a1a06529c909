/**
 * Trigger nodes: they have no runtime. Ingestion enrolls a contact when an event of the trigger's types arrives and
 * `triggerAccepts` (./match.ts) says this trigger's config accepts it. Engine-made events (contact.created,
 * tag.added, score.changed, segment.entered, broadcast.due, crisis.detected, ticket.sla_breached) come through the
 * same ingestion path with deterministic ids, so they enroll exactly like social events.
 */
import { conditionGroupSchema } from '../../conditions';
import { defineManifest } from '../../contract';
import { segmentNameSchema } from '../filter-segment/manifest';
import { t, zh } from '../i18n';
import { scoreNameSchema } from '../score-name';

const next = [{ id: 'next', label: t('Next', '下一步') }];
const pure = { pure: true } as const;
const channels = { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' }, title: 'Only these channels', ...zh('仅限这些渠道'), 'x-widget': 'channel' } as const;
const keywords = {
  type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 }, title: 'Only when the text mentions',
  description: 'Any of these keywords (Chinese segmented, English on word boundaries)', ...zh('仅当文本提到', '任一关键词（中文分词，英文按单词边界）'), 'x-widget': 'tags',
} as const;
const conditions = { ...conditionGroupSchema, title: 'Only when', ...zh('仅当') };

export const triggerMention = defineManifest({
  type: 'trigger.social-mention', version: 1, category: 'trigger',
  title: t('Social mention / comment', '社交提及 / 评论'),
  description: t('Starts when someone mentions the brand or comments on its posts.', '当有人提及品牌或评论品牌帖子时启动。'),
  icon: '📢', triggerEventTypes: ['social.mention', 'social.comment'],
  configSchema: { type: 'object', properties: { channels, keywords, conditions }, additionalProperties: false },
  outputs: next, execution: pure, summaryFields: ['channels', 'keywords'],
});

export const triggerDirectMessage = defineManifest({
  type: 'trigger.direct-message', version: 1, category: 'trigger',
  title: t('Direct message', '私信'),
  description: t('Starts when a contact sends the brand a direct message.', '当联系人给品牌发送私信时启动。'),
  icon: '✉️', triggerEventTypes: ['social.dm'],
  configSchema: { type: 'object', properties: { channels, keywords, conditions }, additionalProperties: false },
  outputs: next, execution: pure, summaryFields: ['channels', 'keywords'],
});

export const triggerForm = defineManifest({
  type: 'trigger.form-submitted', version: 1, category: 'trigger',
  title: t('Form submitted', '表单提交'),
  description: t('Starts when a web form is submitted (event data.formId).', '当网页表单提交时启动（事件 data.formId）。'),
  icon: '📝', triggerEventTypes: ['form.submitted'],
  configSchema: {
    type: 'object',
    properties: { formIds: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 }, title: 'Only these forms', ...zh('仅限这些表单') }, conditions },
    additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['formIds'],
});

export const triggerContactCreated = defineManifest({
  type: 'trigger.contact-created', version: 1, category: 'trigger',
  title: t('Contact created', '新建联系人'),
  description: t('Starts when a new contact is first seen on any channel.', '当首次在任一渠道见到新联系人时启动。'),
  icon: '🆕', triggerEventTypes: ['contact.created'],
  configSchema: { type: 'object', properties: { channels }, additionalProperties: false },
  outputs: next, execution: pure, summaryFields: ['channels'],
});

export const triggerContactUpdated = defineManifest({
  type: 'trigger.contact-updated', version: 1, category: 'trigger',
  title: t('Contact updated', '联系人更新'),
  description: t('Starts when profile fields of a contact change.', '当联系人资料字段变化时启动。'),
  icon: '✏️', triggerEventTypes: ['contact.updated'],
  configSchema: {
    type: 'object',
    properties: { fields: { type: 'array', uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Only when these fields change', ...zh('仅当这些字段变化') } },
    additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['fields'],
});

export const triggerTagAdded = defineManifest({
  type: 'trigger.tag-added', version: 1, category: 'trigger',
  title: t('Tag added', '添加标签'),
  description: t('Starts when one of these tags is added to a contact.', '当联系人被添加这些标签之一时启动。'),
  icon: '🏷️', triggerEventTypes: ['tag.added'],
  configSchema: {
    type: 'object',
    properties: { tags: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 64 }, title: 'Tags', ...zh('标签'), 'x-widget': 'tags' } },
    required: ['tags'], additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['tags'],
});

export const triggerScoreThreshold = defineManifest({
  type: 'trigger.score-threshold', version: 1, category: 'trigger',
  title: t('Score crossed a threshold', '分数越过阈值'),
  description: t('Starts when a score rises to (or falls below) a threshold.', '当分数升至（或跌破）阈值时启动。'),
  icon: '🎯', triggerEventTypes: ['score.changed'],
  configSchema: {
    type: 'object',
    properties: {
      score: scoreNameSchema,
      threshold: { type: 'number', title: 'Threshold', ...zh('阈值') },
      direction: { type: 'string', enum: ['up', 'down'], default: 'up', title: 'Direction', description: 'up: rises to or above; down: falls below', ...zh('方向', 'up：升至或超过；down：跌破') },
    },
    required: ['score', 'threshold'], additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['score', 'threshold', 'direction'],
});

export const triggerSegmentEntered = defineManifest({
  type: 'trigger.segment-entered', version: 1, category: 'trigger',
  title: t('Segment entered', '进入分群'),
  description: t('Starts when a contact enters one of these segments.', '当联系人进入这些分群之一时启动。'),
  icon: '👥', triggerEventTypes: ['segment.entered'],
  configSchema: {
    type: 'object',
    properties: { segments: { type: 'array', minItems: 1, uniqueItems: true, items: segmentNameSchema, title: 'Segments', ...zh('分群'), 'x-widget': 'segment' } },
    required: ['segments'], additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['segments'],
});

export const triggerBroadcast = defineManifest({
  type: 'trigger.scheduled-broadcast', version: 1, category: 'trigger',
  title: t('Scheduled broadcast', '定时群发'),
  description: t(
    'Enrolls every member of a segment on a cron schedule in a time zone; large segments are enrolled in batches.',
    '按时区内的 cron 计划，将分群内所有成员加入旅程；大分群分批加入。',
  ),
  icon: '📅', triggerEventTypes: ['broadcast.due'],
  configSchema: {
    type: 'object',
    properties: {
      cron: { type: 'string', minLength: 9, maxLength: 100, format: 'cron', title: 'Schedule (cron)', description: 'e.g. "0 10 * * 1" = Mondays 10:00', ...zh('计划（cron）', '例如 "0 10 * * 1" = 每周一 10:00') },
      timezone: { type: 'string', minLength: 1, maxLength: 64, format: 'time-zone', default: 'Asia/Shanghai', title: 'Time zone', ...zh('时区') },
      segment: { ...segmentNameSchema, title: 'Segment', ...zh('分群'), 'x-widget': 'segment' },
      batchSize: { type: 'integer', minimum: 1, maximum: 5000, default: 500, title: 'Batch size', ...zh('每批人数') },
    },
    required: ['cron', 'segment'], additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['cron', 'segment'],
});

export const triggerCrisis = defineManifest({
  type: 'trigger.crisis-detected', version: 1, category: 'trigger',
  title: t('Crisis detected', '检测到危机'),
  description: t(
    'Starts once per window when negative mentions of a topic rise above their recent baseline by a factor.',
    '当某话题的负面提及超过近期基线的指定倍数时启动，每个时间窗口只触发一次。',
  ),
  icon: '🚨', triggerEventTypes: ['crisis.detected'],
  configSchema: {
    type: 'object',
    properties: {
      topic: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^|]+$', title: 'Topic name', ...zh('话题名称') },
      keywords: { ...keywords, title: 'Topic keywords', description: 'Mentions counted for the topic; empty counts every negative mention', ...zh('话题关键词', '计入该话题的提及；留空则计入所有负面提及') },
      sourceChannels: { ...channels, title: 'Count mentions from', ...zh('统计这些渠道的提及') },
      windowMinutes: { type: 'number', exclusiveMinimum: 0, maximum: 10_080, default: 60, title: 'Window (minutes)', ...zh('时间窗口（分钟）') },
      baselineWindows: { type: 'integer', minimum: 0, maximum: 500, default: 24, title: 'Baseline windows', ...zh('基线窗口数') },
      factor: { type: 'number', exclusiveMinimum: 0, maximum: 1000, default: 3, title: 'Rise factor', ...zh('上升倍数') },
      minCount: { type: 'integer', minimum: 1, maximum: 100_000, default: 5, title: 'Minimum negative mentions', ...zh('最少负面提及数') },
    },
    required: ['topic'], additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['topic', 'factor', 'windowMinutes'],
});

export const triggerSlaBreached = defineManifest({
  type: 'trigger.sla-breached', version: 1, category: 'trigger',
  title: t('Ticket SLA breached', '工单超时'),
  description: t('Starts when a ticket got no first response within its SLA.', '当工单在时限内未得到首次响应时启动。'),
  icon: '⏰', triggerEventTypes: ['ticket.sla_breached'],
  configSchema: {
    type: 'object',
    properties: { priorities: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }, title: 'Only these priorities', ...zh('仅限这些优先级') } },
    additionalProperties: false,
  },
  outputs: next, execution: pure, summaryFields: ['priorities'],
});

export const TRIGGER_MANIFESTS = [
  triggerMention, triggerDirectMessage, triggerForm, triggerContactCreated, triggerContactUpdated, triggerTagAdded,
  triggerScoreThreshold, triggerSegmentEntered, triggerBroadcast, triggerCrisis, triggerSlaBreached,
];
