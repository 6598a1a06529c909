/**
 * Worked example of a custom node: "Loyalty tier" sorts a contact into a tier by one of their scores.
 * Version 1 knew one threshold (VIP or regular); version 2 has any number of tiers and can write the tier on the
 * contact. The migration from 1 to 2 lets drafts upgrade; published journeys pinned to version 1 keep running
 * because version 1 stays registered.
 */
import { defineManifest } from '../../nodes/contract';

const scoreName = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$', default: 'lead', title: 'Score', 'x-i18n': { 'zh-CN': { title: '分数名称' } } } as const;

export const loyaltyTierV1 = defineManifest({
  type: 'acme.loyalty-tier',
  version: 1,
  category: 'scoring',
  title: { en: 'Loyalty tier (VIP or regular)', 'zh-CN': '会员等级（VIP 或普通）' },
  description: { en: 'VIP when the score reaches the threshold, else regular.', 'zh-CN': '分数达到阈值为 VIP，否则为普通会员。' },
  icon: '🏅',
  configSchema: {
    type: 'object',
    properties: {
      score: scoreName,
      vipAt: { type: 'number', title: 'VIP from', 'x-i18n': { 'zh-CN': { title: 'VIP 门槛' } } },
    },
    required: ['score', 'vipAt'],
    additionalProperties: false,
  },
  outputs: [
    { id: 'vip', label: { en: 'VIP', 'zh-CN': 'VIP' } },
    { id: 'regular', label: { en: 'Regular', 'zh-CN': '普通' } },
  ],
  execution: { pure: true, timeoutMs: 5_000 },
  summaryFields: ['score', 'vipAt'],
});

export const loyaltyTier = defineManifest({
  type: 'acme.loyalty-tier',
  version: 2,
  category: 'scoring',
  title: { en: 'Loyalty tier', 'zh-CN': '会员等级' },
  description: {
    en: 'Sorts the contact into the first tier whose minimum the score reaches (a tier without a minimum takes everyone left); one port per tier.',
    'zh-CN': '按分数把联系人归入第一个达到门槛的等级（没有门槛的等级接收其余所有人）；每个等级一个出口。',
  },
  icon: '🏅',
  configSchema: {
    type: 'object',
    properties: {
      score: scoreName,
      tiers: {
        type: 'array', minItems: 1, maxItems: 10, title: 'Tiers (highest first)', 'x-i18n': { 'zh-CN': { title: '等级（从高到低）' } },
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,31}$', title: 'Port id' },
            label: { type: 'string', maxLength: 40, title: 'Label' },
            min: { type: 'number', title: 'Minimum score' },
          },
          required: ['id'],
          additionalProperties: false,
        },
      },
      setField: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$', title: 'Write the tier to profile field', 'x-i18n': { 'zh-CN': { title: '写入资料字段' } } },
    },
    required: ['score', 'tiers'],
    additionalProperties: false,
  },
  outputs: [{ id: 'none', label: { en: 'No tier', 'zh-CN': '无等级' } }],
  portsFromConfig: { arrayField: 'tiers', idField: 'id', labelField: 'label' },
  execution: { timeoutMs: 5_000 },
  summaryFields: ['score', 'tiers'],
  migrations: {
    // v1 {score, vipAt} → v2: same ports ("vip", "regular"), so the journey's edges stay valid.
    1: (c: { score: string; vipAt: number }) => ({ score: c.score, tiers: [{ id: 'vip', label: 'VIP', min: c.vipAt }, { id: 'regular', label: 'Regular' }] }),
  },
});
