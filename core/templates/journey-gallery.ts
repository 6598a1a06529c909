/**
 * The built-in journey template gallery. Each template is a journey document built only from nodes of the catalog
 * (`GET /api/v1/nodes`), valid for `validateJourney` (test/templates asserts it). "Use template" copies one into
 * a new draft the marketer edits; admins add their own journeys to the gallery of their workspace.
 */
import type { JourneyGraph } from '../../workflows/model/journey-schema';

export interface GalleryTemplate {
  id: string;
  name: string;
  description: string;
  /** The name and description in the other UI language (the gallery speaks the marketer's language). */
  i18n: { 'zh-CN': { name: string; description: string } };
  tags: string[];
  graph: JourneyGraph;
}

const days = (amount: number) => ({ amount, unit: 'days' });
const pos = (x: number, y: number) => ({ x, y });

export const JOURNEY_GALLERY: GalleryTemplate[] = [
  {
    id: 'builtin:welcome-drip',
    name: 'Welcome drip',
    description: 'New contacts who did not opt out get a welcome email, tips two days later and an offer after a week; placing an order ends the journey as converted.',
    i18n: { 'zh-CN': { name: '欢迎培育', description: '未退订的新联系人先收到欢迎邮件，两天后收到使用技巧，一周后收到优惠；下单即以转化结束旅程。' } },
    tags: ['nurture', 'email'],
    graph: {
      nodes: [
        { id: 'new-contact', type: 'trigger.contact-created', version: 1, config: {}, position: pos(0, 0) },
        { id: 'consent', type: 'filter.consent', version: 1, config: { channel: 'email', require: 'not_opted_out' }, position: pos(0, 120) },
        { id: 'welcome', type: 'response.email', version: 1, config: { subject: 'Welcome, {{contact.profile.name | "friend"}}!', html: '<p>Thanks for joining us.</p>', campaign: 'welcome' }, position: pos(0, 240) },
        { id: 'wait-2d', type: 'flow.wait', version: 1, config: { duration: days(2) }, position: pos(0, 360) },
        { id: 'tips', type: 'response.email', version: 1, config: { subject: '3 tips to get started', html: '<p>Here is how to get the most out of it…</p>', campaign: 'welcome' }, position: pos(0, 480) },
        { id: 'wait-5d', type: 'flow.wait', version: 1, config: { duration: days(5) }, position: pos(0, 600) },
        { id: 'offer', type: 'response.email', version: 1, config: { subject: 'A welcome gift for you', html: '<p>10% off your first order.</p>', campaign: 'welcome' }, position: pos(0, 720) },
        { id: 'done', type: 'flow.end', version: 1, config: {}, position: pos(0, 840) },
        { id: 'no-consent', type: 'flow.end', version: 1, config: {}, position: pos(260, 240) },
      ],
      edges: [
        { from: 'new-contact', port: 'next', to: 'consent' },
        { from: 'consent', port: 'yes', to: 'welcome' },
        { from: 'consent', port: 'no', to: 'no-consent' },
        { from: 'welcome', port: 'sent', to: 'wait-2d' },
        { from: 'wait-2d', port: 'next', to: 'tips' },
        { from: 'tips', port: 'sent', to: 'wait-5d' },
        { from: 'wait-5d', port: 'next', to: 'offer' },
        { from: 'offer', port: 'sent', to: 'done' },
      ],
      settings: { reentry: 'never', goal: { eventTypes: ['order.placed'] } },
    },
  },
  {
    id: 'builtin:negative-mention-rescue',
    name: 'Negative-mention rescue with crisis escalation',
    description: 'A negative mention gets a public apology, a high-priority ticket and a risk score; no DM reply within a day alerts the team. A spike of negative mentions escalates to the PR lead with an urgent ticket.',
    i18n: { 'zh-CN': { name: '负面提及挽救与危机升级', description: '负面提及会收到公开致歉、高优先级工单和风险分；一天内没有私信回复则通知团队。负面提及激增时以紧急工单升级给公关负责人。' } },
    tags: ['social', 'care', 'crisis'],
    graph: {
      nodes: [
        { id: 'mention', type: 'trigger.social-mention', version: 1, config: {}, position: pos(0, 0) },
        { id: 'negative', type: 'filter.sentiment', version: 1, config: { label: 'negative', threshold: 0.6 }, position: pos(0, 120) },
        { id: 'risk', type: 'scoring.points', version: 1, config: { score: 'risk', points: 10, reason: 'negative mention' }, position: pos(0, 240) },
        { id: 'apologize', type: 'response.reply', version: 1, config: { mode: 'reply', message: 'Sorry to hear that, {{contact.profile.name | "there"}}. We sent you a DM to sort it out.' }, position: pos(0, 360) },
        { id: 'ticket', type: 'response.ticket', version: 1, config: { title: 'Negative mention: {{event.text}}', assignee: 'care-team', priority: 'high', slaMinutes: 60 }, position: pos(0, 480) },
        { id: 'await-dm', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['social.dm'], timeout: days(1) }, position: pos(0, 600) },
        { id: 'rescued', type: 'response.update-contact', version: 1, config: { addTags: ['rescued'] }, position: pos(-200, 720) },
        { id: 'no-answer', type: 'response.notify-team', version: 1, config: { to: 'care-team', message: 'No reply from {{contact.id}} a day after our apology.' }, position: pos(200, 720) },
        { id: 'fan', type: 'response.update-contact', version: 1, config: { addTags: ['fan'] }, position: pos(260, 240) },
        { id: 'crisis', type: 'trigger.crisis-detected', version: 1, config: { topic: 'negative-mentions', windowMinutes: 60, factor: 3, minCount: 5 }, position: pos(520, 0) },
        { id: 'alert-pr', type: 'response.notify-team', version: 1, config: { to: 'pr-lead', message: 'Crisis: negative mentions are spiking. Check the social inbox now.' }, position: pos(520, 120) },
        { id: 'war-room', type: 'response.ticket', version: 1, config: { title: 'Crisis escalation: negative mention spike', assignee: 'pr-lead', priority: 'urgent', slaMinutes: 15 }, position: pos(520, 240) },
      ],
      edges: [
        { from: 'mention', port: 'next', to: 'negative' },
        { from: 'negative', port: 'yes', to: 'risk' },
        { from: 'negative', port: 'no', to: 'fan' },
        { from: 'risk', port: 'next', to: 'apologize' },
        { from: 'apologize', port: 'sent', to: 'ticket' },
        { from: 'apologize', port: 'skipped', to: 'ticket' },
        { from: 'ticket', port: 'created', to: 'await-dm' },
        { from: 'await-dm', port: 'received', to: 'rescued' },
        { from: 'await-dm', port: 'timed_out', to: 'no-answer' },
        { from: 'crisis', port: 'next', to: 'alert-pr' },
        { from: 'alert-pr', port: 'next', to: 'war-room' },
      ],
      settings: { reentry: 'after_exit' },
    },
  },
  {
    id: 'builtin:vip-upgrade',
    name: 'VIP upgrade by score',
    description: 'When the lead score rises to 100, the contact becomes VIP (field, tag, segment), the account team hears about it and the contact gets a VIP welcome email if they did not opt out.',
    i18n: { 'zh-CN': { name: '按分数升级 VIP', description: '线索分升到 100 时，联系人成为 VIP（字段、标签、分群），客户团队收到通知；未退订的联系人会收到 VIP 欢迎邮件。' } },
    tags: ['scoring', 'loyalty'],
    graph: {
      nodes: [
        { id: 'score-100', type: 'trigger.score-threshold', version: 1, config: { score: 'lead', threshold: 100, direction: 'up' }, position: pos(0, 0) },
        { id: 'mark-vip', type: 'response.update-contact', version: 1, config: { set: { tier: 'vip' }, addTags: ['vip'] }, position: pos(0, 120) },
        { id: 'vip-segment', type: 'response.segment', version: 1, config: { add: ['vip'] }, position: pos(0, 240) },
        { id: 'tell-team', type: 'response.notify-team', version: 1, config: { to: 'account-team', message: '{{contact.id}} just became VIP (lead score ≥ 100).' }, position: pos(0, 360) },
        { id: 'consent', type: 'filter.consent', version: 1, config: { channel: 'email' }, position: pos(0, 480) },
        { id: 'vip-welcome', type: 'response.email', version: 1, config: { subject: 'Welcome to VIP', html: '<p>Your VIP perks start today.</p>', campaign: 'vip' }, position: pos(0, 600) },
      ],
      edges: [
        { from: 'score-100', port: 'next', to: 'mark-vip' },
        { from: 'mark-vip', port: 'next', to: 'vip-segment' },
        { from: 'vip-segment', port: 'next', to: 'tell-team' },
        { from: 'tell-team', port: 'next', to: 'consent' },
        { from: 'consent', port: 'yes', to: 'vip-welcome' },
      ],
      settings: { reentry: 'never' },
    },
  },
  {
    id: 'builtin:win-back',
    name: 'Win-back of inactive contacts',
    description: 'Every Monday the "inactive-90d" segment gets a we-miss-you email; a click or an order within a week marks them won back, silence marks them lapsed.',
    i18n: { 'zh-CN': { name: '召回不活跃联系人', description: '每周一向“inactive-90d”分群发送“想念您”邮件；一周内点击或下单记为已召回，没有动静记为已流失。' } },
    tags: ['retention', 'email'],
    graph: {
      nodes: [
        { id: 'weekly', type: 'trigger.scheduled-broadcast', version: 1, config: { cron: '0 10 * * 1', timezone: 'Asia/Shanghai', segment: 'inactive-90d' }, position: pos(0, 0) },
        { id: 'consent', type: 'filter.consent', version: 1, config: { channel: 'email', require: 'not_opted_out' }, position: pos(0, 120) },
        { id: 'miss-you', type: 'response.email', version: 1, config: { subject: 'We miss you, {{contact.profile.name | "friend"}}', html: '<p>Here is 15% off to welcome you back.</p>', campaign: 'win-back' }, position: pos(0, 240) },
        { id: 'await', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['email.clicked', 'order.placed'], timeout: days(7) }, position: pos(0, 360) },
        { id: 'won-back', type: 'response.update-contact', version: 1, config: { addTags: ['won-back'], removeTags: ['lapsed'] }, position: pos(-200, 480) },
        { id: 'lapsed', type: 'response.update-contact', version: 1, config: { addTags: ['lapsed'] }, position: pos(200, 480) },
      ],
      edges: [
        { from: 'weekly', port: 'next', to: 'consent' },
        { from: 'consent', port: 'yes', to: 'miss-you' },
        { from: 'miss-you', port: 'sent', to: 'await' },
        { from: 'await', port: 'received', to: 'won-back' },
        { from: 'await', port: 'timed_out', to: 'lapsed' },
      ],
      settings: { reentry: 'after_exit' },
    },
  },
  {
    id: 'builtin:post-purchase-review',
    name: 'Post-purchase review request',
    description: 'Three days after delivery, ask for a review; a positive review earns advocacy points and a thank-you, a negative one opens a ticket, no review within a week gets one reminder.',
    i18n: { 'zh-CN': { name: '购后邀评', description: '签收三天后邀请评价；好评获得推荐积分并收到感谢，差评创建工单，一周内未评价则提醒一次。' } },
    tags: ['feedback', 'email'],
    graph: {
      nodes: [
        { id: 'delivered', type: 'trigger.event', version: 1, config: { eventTypes: ['order.delivered'] }, position: pos(0, 0) },
        { id: 'wait-3d', type: 'flow.wait', version: 1, config: { duration: days(3) }, position: pos(0, 120) },
        { id: 'consent', type: 'filter.consent', version: 1, config: { channel: 'email' }, position: pos(0, 240) },
        { id: 'ask', type: 'response.email', version: 1, config: { subject: 'How do you like it?', html: '<p>Tell us in a short review.</p>', campaign: 'review' }, position: pos(0, 360) },
        { id: 'await-review', type: 'flow.wait-for-event', version: 1, config: { eventTypes: ['review.submitted'], timeout: days(7) }, position: pos(0, 480) },
        { id: 'positive', type: 'filter.sentiment', version: 1, config: { label: 'positive' }, position: pos(-200, 600) },
        { id: 'advocate', type: 'scoring.points', version: 1, config: { score: 'advocacy', points: 5, reason: 'positive review' }, position: pos(-300, 720) },
        { id: 'thanks', type: 'response.email', version: 1, config: { subject: 'Thank you!', html: '<p>Thanks for your review.</p>', campaign: 'review' }, position: pos(-300, 840) },
        { id: 'follow-up', type: 'response.ticket', version: 1, config: { title: 'Unhappy review: {{event.text}}', assignee: 'care-team', priority: 'normal', slaMinutes: 240 }, position: pos(-100, 720) },
        { id: 'reminder', type: 'response.email', version: 1, config: { subject: 'A minute for a review?', html: '<p>Your opinion helps other shoppers.</p>', campaign: 'review' }, position: pos(200, 600) },
      ],
      edges: [
        { from: 'delivered', port: 'next', to: 'wait-3d' },
        { from: 'wait-3d', port: 'next', to: 'consent' },
        { from: 'consent', port: 'yes', to: 'ask' },
        { from: 'ask', port: 'sent', to: 'await-review' },
        { from: 'await-review', port: 'received', to: 'positive' },
        { from: 'await-review', port: 'timed_out', to: 'reminder' },
        { from: 'positive', port: 'yes', to: 'advocate' },
        { from: 'positive', port: 'no', to: 'follow-up' },
        { from: 'advocate', port: 'next', to: 'thanks' },
      ],
      settings: { reentry: 'always' },
    },
  },
];
