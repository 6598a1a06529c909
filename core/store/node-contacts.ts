/**
 * The contacts behind a node's live counts (the canvas's ▶ entered, ⏸ waiting and per-port numbers), newest first
 * and paged, answered from the steps: each counted step is one row, exactly as journey-stats counts it (entered:
 * every step at the node; waiting: steps still waiting there; a port: steps that left through it, errors
 * excepted). Served by the steps index `workspaceId, journeyId, version, nodeId, outcome, at, port` (db.ts): every
 * state names its outcomes, so each is a sorted range of that index merged by time, never a scan of the node.
 */
import type { Store } from './db';
import type { StepDoc } from './documents';

export type NodeContactsState = 'entered' | 'waiting' | 'port';
export const NODE_CONTACTS_STATES: readonly NodeContactsState[] = ['entered', 'waiting', 'port'];
export const NODE_CONTACTS_PAGE = 50;
/** Steps of one instant are kept on one page (the cursor is a time); past this many, the rest of that instant is cut. */
const SAME_INSTANT_LIMIT = 500;

const ALL_OUTCOMES: StepDoc['outcome'][] = ['waiting', 'done', 'error', 'exited'];
/** The outcomes a port is counted for (journey-stats stepDelta: a port of an error step is not counted). */
const LEFT_OUTCOMES: StepDoc['outcome'][] = ['done', 'exited'];

export interface NodeContactsQuery {
  workspaceId: string;
  journeyId: string;
  version: number;
  nodeId: string;
  state: NodeContactsState;
  port?: string;
  /** Only steps strictly before this time (the previous page's `next`). */
  before?: Date;
  limit?: number;
}

export interface NodeContactRow {
  stepId: string;
  enrollmentId: string;
  contactId: string;
  at: Date;
  outcome: StepDoc['outcome'];
  port?: string;
  /** The contact's first identity as `channel:handle`, its profile name; both absent once erased. */
  identity?: string;
  name?: string;
  erased: boolean;
  test: boolean;
}

function stepFilter(q: NodeContactsQuery): Record<string, unknown> {
  const base = { workspaceId: q.workspaceId, journeyId: q.journeyId, version: q.version, nodeId: q.nodeId };
  if (q.state === 'waiting') return { ...base, outcome: 'waiting' };
  if (q.state === 'port') return { ...base, outcome: { $in: LEFT_OUTCOMES }, port: q.port };
  return { ...base, outcome: { $in: ALL_OUTCOMES } };
}

const STEP_FIELDS = { _id: 1, enrollmentId: 1, contactId: 1, at: 1, outcome: 1, port: 1 } as const;

/** One page of the node's contacts in that state, newest first, and the cursor of the next page (null: the last). */
export async function nodeContacts(s: Store, q: NodeContactsQuery): Promise<{ rows: NodeContactRow[]; next: Date | null }> {
  const limit = q.limit ?? NODE_CONTACTS_PAGE;
  const filter = stepFilter(q);
  const found = await s.steps.find({ ...filter, ...(q.before ? { at: { $lt: q.before } } : {}) }, { projection: STEP_FIELDS })
    .sort({ at: -1 }).limit(limit + 1).toArray();
  let page = found.slice(0, limit);
  let next: Date | null = null;
  if (found.length > limit) {
    const boundary = page[page.length - 1].at;
    next = boundary;
    // The next page starts strictly before `boundary`: every step of that instant belongs to this one.
    if (found[limit].at.getTime() === boundary.getTime()) {
      const sameInstant = await s.steps.find({ ...filter, at: boundary }, { projection: STEP_FIELDS }).limit(SAME_INSTANT_LIMIT).toArray();
      page = [...page.filter((st) => st.at.getTime() !== boundary.getTime()), ...sameInstant.sort((a, b) => (a._id < b._id ? 1 : -1))];
    }
  }
  const ids = [...new Set(page.map((st) => st.contactId))];
  const contacts = ids.length
    ? await s.contacts.find({ workspaceId: q.workspaceId, _id: { $in: ids } }, { projection: { identities: 1, 'profile.name': 1, erasedAt: 1, test: 1 } }).toArray()
    : [];
  const byId = new Map(contacts.map((c) => [c._id, c]));
  const rows = page.map((st): NodeContactRow => {
    const c = byId.get(st.contactId);
    const first = c?.identities?.[0];
    const name = c?.profile?.name;
    return {
      stepId: st._id, enrollmentId: st.enrollmentId, contactId: st.contactId, at: st.at, outcome: st.outcome,
      ...(st.port !== undefined ? { port: st.port } : {}),
      ...(first && !c?.erasedAt ? { identity: `${first.channel}:${first.handle}` } : {}),
      ...(typeof name === 'string' && name && !c?.erasedAt ? { name } : {}),
      erased: !!c?.erasedAt, test: !!c?.test,
    };
  });
  return { rows, next };
}
