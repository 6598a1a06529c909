/**
 * A contact's tags on WeCom (企业标签) and in Journeys, by name. WeCom marks corp tags by id (`et…`) and per staff
 * member who has the customer; Journeys tags are names:
 * - out: `syncWecomTags` marks on WeCom the tag names that exist in the corp tag library (获取企业标签库), for every
 *   staff member following the customer, skipping what each already has; names the library does not hold stay
 *   Journeys-only (nothing is created in the enterprise's library);
 * - in: `followUserTags` reads the names a staff member's record of the customer carries (获取客户详情).
 * The library is cached per channel for a few minutes and dropped when WeCom reports a change of it
 * (change_external_tag) or refuses a tag id (40068).
 */
import type { PlatformTagSync } from '../channel-adapter';
import { corpTagList, externalContact, markTags, WecomApiError, type WecomAccount, type WecomExternalContact, type WecomTag } from './client';

const LIBRARY_TTL_MS = 5 * 60_000;
const libraries = new Map<string, { at: number; tags: Promise<WecomTag[]> }>();
const libraryKey = (a: WecomAccount) => `${a.workspaceId}|${a.channel}|${a.corpId}`;

/** Drops the cached tag library of a channel (a change_external_tag callback, a refused tag id). */
export function forgetTagLibrary(a: Pick<WecomAccount, 'workspaceId' | 'channel' | 'corpId'>): void {
  libraries.delete(libraryKey(a as WecomAccount));
}

async function library(a: WecomAccount): Promise<WecomTag[]> {
  const key = libraryKey(a);
  const hit = libraries.get(key);
  if (hit && Date.now() - hit.at < LIBRARY_TTL_MS) return hit.tags;
  const tags = corpTagList(a);
  tags.catch(() => libraries.delete(key));
  if (libraries.size > 1000) libraries.clear();
  libraries.set(key, { at: Date.now(), tags });
  return tags;
}

/** PlatformTagSync by name (`notOnPlatform`: names the corp tag library does not hold), and by staff member with ids. */
export interface TagSync extends PlatformTagSync {
  /** What was marked, per staff member (tag ids). */
  marked: { userid: string; add: string[]; remove: string[] }[];
}

/** The tag names on a staff member's record of the customer (every follow user's when `staff` is not given). */
export function followUserTags(c: WecomExternalContact, staff?: string): string[] {
  const users = staff ? c.follow_user.filter((f) => f.userid === staff) : c.follow_user;
  return [...new Set(users.flatMap((f) => (f.tags ?? []).map((t) => t.tag_name).filter((n): n is string => typeof n === 'string' && !!n)))];
}

/** Marks `add` and unmarks `remove` (tag names) on the customer for every staff member who has them. */
export async function syncWecomTags(a: WecomAccount, externalUserId: string, change: { add?: string[]; remove?: string[] }, retried = false): Promise<TagSync> {
  const tags = await library(a);
  const idsOf = (names: string[]) => names.flatMap((n) => tags.filter((t) => t.name === n).map((t) => t.id));
  const wanted = { add: change.add ?? [], remove: change.remove ?? [] };
  const notOnPlatform = [...wanted.add, ...wanted.remove].filter((n) => !tags.some((t) => t.name === n));
  const namesOf = (ids: string[]) => [...new Set(ids.map((id) => tags.find((t) => t.id === id)!.name))];
  const byName = (marked: TagSync['marked']): TagSync => ({
    added: namesOf(marked.flatMap((m) => m.add)), removed: namesOf(marked.flatMap((m) => m.remove)), notOnPlatform, marked,
  });
  const addIds = idsOf(wanted.add);
  const removeIds = idsOf(wanted.remove).filter((id) => !addIds.includes(id));
  if (!addIds.length && !removeIds.length) return byName([]);
  const contact = await externalContact(a, externalUserId);
  if (!contact) return { ...byName([]), unknownContact: true };
  const marked: TagSync['marked'] = [];
  try {
    for (const f of contact.follow_user) {
      const has = new Set((f.tags ?? []).map((t) => t.tag_id));
      const add = addIds.filter((id) => !has.has(id));
      const remove = removeIds.filter((id) => has.has(id));
      if (!add.length && !remove.length) continue;
      await markTags(a, { userid: f.userid, externalUserId, add, remove });
      marked.push({ userid: f.userid, add, remove });
    }
  } catch (err) {
    // A tag deleted since the library was read: read it again, once.
    if (err instanceof WecomApiError && err.errcode === 40068 && !retried) {
      forgetTagLibrary(a);
      const again = await syncWecomTags(a, externalUserId, change, true);
      const before = byName(marked);
      const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
      return { ...again, added: union(before.added, again.added), removed: union(before.removed, again.removed), marked: [...marked, ...again.marked] };
    }
    throw err;
  }
  return byName(marked);
}
