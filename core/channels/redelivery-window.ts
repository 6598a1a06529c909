/**
 * Replays of platforms that sign no timestamp. Meta, X and Telegram sign (or authenticate) the body alone and
 * redeliver the very same bytes when a delivery was not answered in time, so a captured delivery sent again cannot
 * be told from a redelivery by its signature. What tells them apart is time: each platform documents how long it
 * keeps redelivering. Inside that horizon a repeat is answered 200 and ingested once by its events' ids (a refusal
 * would only make the platform retry on, and a lost first attempt must still get in); a delivery whose every event
 * is older than the horizon is one the platform no longer sends, so it is a replay: refused with 401 before anything
 * is stored. The horizons, from each platform's documentation:
 * - Meta (Messenger, Instagram): retried with decreasing frequency for 36 hours, then dropped;
 * - WhatsApp Cloud API: retried for up to 7 days;
 * - X Account Activity: three retries within five minutes;
 * - Telegram: an update not delivered is kept at most 24 hours.
 */
import type { ContactEvent } from '../../nodes/contract';
import { AppError } from '../errors';

const HOUR = 3_600_000;

export const REDELIVERY_HORIZON_MS = {
  messenger: 36 * HOUR,
  instagram: 36 * HOUR,
  whatsapp: 7 * 24 * HOUR,
  x: 5 * 60_000,
  telegram: 24 * HOUR,
} as const;

export type RedeliveringPlatform = keyof typeof REDELIVERY_HORIZON_MS;

/** Clock difference between the platform and us that is not taken for age. */
export const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * The age of the newest event when all of them are older than the platform redelivers (a replay), else undefined.
 * Events without a platform time carry the receipt time, so they are never old.
 */
export function replayAge(events: Pick<ContactEvent, 'occurredAt'>[], platform: RedeliveringPlatform, now = new Date()): number | undefined {
  const times = events.map((e) => Date.parse(e.occurredAt)).filter(Number.isFinite);
  if (!times.length || times.length < events.length) return undefined;
  const age = now.getTime() - Math.max(...times);
  return age > REDELIVERY_HORIZON_MS[platform] + CLOCK_SKEW_MS ? age : undefined;
}

const span = (ms: number) => {
  if (ms >= 48 * HOUR) return { en: `${Math.floor(ms / (24 * HOUR))} days`, 'zh-CN': `${Math.floor(ms / (24 * HOUR))} 天` };
  if (ms >= 2 * HOUR) return { en: `${Math.floor(ms / HOUR)} hours`, 'zh-CN': `${Math.floor(ms / HOUR)} 小时` };
  return { en: `${Math.max(1, Math.floor(ms / 60_000))} minutes`, 'zh-CN': `${Math.max(1, Math.floor(ms / 60_000))} 分钟` };
};

const PLATFORM_NAMES: Record<RedeliveringPlatform, { en: string; 'zh-CN': string }> = {
  messenger: { en: 'Messenger', 'zh-CN': 'Messenger' },
  instagram: { en: 'Instagram', 'zh-CN': 'Instagram' },
  whatsapp: { en: 'WhatsApp', 'zh-CN': 'WhatsApp' },
  x: { en: 'X', 'zh-CN': 'X' },
  telegram: { en: 'Telegram', 'zh-CN': 'Telegram' },
};

/** Throws the 401 of a replay when `replayAge` finds one; `field` names the times that were read. */
export function refuseReplay(events: Pick<ContactEvent, 'occurredAt'>[], platform: RedeliveringPlatform, field: string, channel: { en: string; 'zh-CN': string }, now = new Date()): void {
  const age = replayAge(events, platform, now);
  if (age === undefined) return;
  const a = span(age);
  const h = span(REDELIVERY_HORIZON_MS[platform]);
  const p = PLATFORM_NAMES[platform];
  throw new AppError('bad_signature', {
    field,
    problem: {
      en: `is ${a.en} old, past the ${h.en} ${p.en} redelivers for: a replayed delivery is refused`,
      'zh-CN': `已过去 ${a['zh-CN']}，超过 ${p['zh-CN']} 重新投递的 ${h['zh-CN']}：重放的投递将被拒绝`,
    },
    channel,
  }, { reason: 'replayed', field });
}
