import { randomUUID } from 'node:crypto';
import type { NodeRegistry } from '../../nodes/registry';
import { compileJourney, type CompiledJourney } from '../../workflows/model/compile-journey';
import type { JourneyDocument, JourneyGraph } from '../../workflows/model/journey-schema';
import { hasErrors, validateJourney } from '../../workflows/model/validate-journey';
import { outboundPolicy } from '../outbound/destination-policy';
import { AppError, journeyInvalid } from '../errors';
import type { Store } from './db';
import type { JourneyDoc, JourneyVersionDoc } from './documents';

function graphOf(doc: JourneyDocument): JourneyGraph {
  // Sticky notes ride along with the graph (and so into every published version), but nothing runs them.
  return { nodes: doc.nodes, edges: doc.edges, settings: doc.settings ?? {}, ...(doc.notes?.length ? { notes: doc.notes } : {}) };
}

export async function createJourney(s: Store, workspaceId: string, doc: JourneyDocument, now = new Date(), folder?: string): Promise<JourneyDoc> {
  const journey: JourneyDoc = {
    _id: randomUUID(), workspaceId, name: doc.name, description: doc.description, draft: graphOf(doc),
    revision: 1, status: 'draft', liveTriggerTypes: [], createdAt: now, updatedAt: now, ...(folder ? { folder } : {}),
  };
  await s.journeys.insertOne(journey);
  return journey;
}

export function getJourney(s: Store, workspaceId: string, id: string) {
  return s.journeys.findOne({ _id: id, workspaceId });
}

/** Every journey name of a workspace (names only: a new journey's name must not repeat one). */
export async function journeyNames(s: Store, workspaceId: string): Promise<string[]> {
  return (await s.journeys.find({ workspaceId }, { projection: { name: 1 } }).toArray()).map((j) => j.name);
}

/** What the journey list can be narrowed to (GET /api/v1/journeys). */
export interface JourneyListFilter {
  /** Part of the name or description, in any case (`toLocaleLowerCase`, so Chinese and accented names match too). */
  q?: string;
  /** A folder path: the journeys in it and in its subfolders. */
  folder?: string;
  status?: JourneyDoc['status'];
  /** A trigger node type (`trigger.form-submitted`) the draft starts with. */
  trigger?: string;
}

/** A folder path and everything under it: "Campaigns" holds "Campaigns/Spring", not "Campaigns 2024". */
export function inFolder(path: string | undefined, folder: string): boolean {
  return !!path && (path === folder || path.startsWith(`${folder}/`));
}

/** The trigger node types of a draft (nodes whose type is in the trigger category). */
export function draftTriggerTypes(j: Pick<JourneyDoc, 'draft'>, isTrigger: (type: string) => boolean): string[] {
  return [...new Set(j.draft.nodes.map((n) => n.type).filter(isTrigger))];
}

/**
 * The workspace's journeys, newest change first. Status narrows the query; text, folder and trigger are matched
 * here rather than with $regex: the embedded store's regex support differs from MongoDB's (case folding of
 * non-ASCII text), and a workspace's list is bounded (500) anyway.
 */
export async function listJourneys(s: Store, workspaceId: string, filter: JourneyListFilter = {}, isTrigger: (type: string) => boolean = (t) => t.startsWith('trigger.')) {
  const journeys = await s.journeys.find({ workspaceId, ...(filter.status ? { status: filter.status } : {}) }).sort({ updatedAt: -1 }).limit(500).toArray();
  const needle = filter.q?.trim().toLocaleLowerCase();
  return journeys.filter((j) => (!needle || j.name.toLocaleLowerCase().includes(needle) || (j.description ?? '').toLocaleLowerCase().includes(needle))
    && (!filter.folder || inFolder(j.folder, filter.folder))
    && (!filter.trigger || draftTriggerTypes(j, isTrigger).includes(filter.trigger)));
}

/** Every folder path journeys of the workspace are in, with the folders above them ("A/B" gives "A" and "A/B"). */
export async function journeyFolders(s: Store, workspaceId: string): Promise<string[]> {
  const paths = await s.journeys.distinct('folder', { workspaceId });
  const all = new Set<string>();
  for (const p of paths) {
    if (typeof p !== 'string' || !p) continue;
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) all.add(parts.slice(0, i).join('/'));
  }
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** Moves a journey into a folder (null: out of every folder). Not a draft edit: the revision stays. */
export async function setJourneyFolder(s: Store, workspaceId: string, id: string, folder: string | null) {
  return s.journeys.findOneAndUpdate(
    { _id: id, workspaceId },
    folder ? { $set: { folder } } : { $unset: { folder: '' } },
    { returnDocument: 'after' },
  );
}

/** Saves the draft. With `expectedRevision`, a save based on a stale copy is refused instead of overwriting. */
export async function updateDraft(s: Store, workspaceId: string, id: string, doc: JourneyDocument, expectedRevision?: number, now = new Date()) {
  const filter: Record<string, unknown> = { _id: id, workspaceId };
  if (expectedRevision !== undefined) filter.revision = expectedRevision;
  const res = await s.journeys.findOneAndUpdate(
    filter,
    { $set: { name: doc.name, description: doc.description, draft: graphOf(doc), updatedAt: now }, $inc: { revision: 1 } },
    { returnDocument: 'after' },
  );
  if (!res && expectedRevision !== undefined && (await getJourney(s, workspaceId, id))) {
    throw new AppError('stale_revision', { revision: expectedRevision });
  }
  return res;
}

/** Deletes a journey that never went live; a published one keeps its history (its runs refer to it). */
export async function deleteJourney(s: Store, workspaceId: string, id: string): Promise<'deleted' | 'missing' | 'published'> {
  const j = await getJourney(s, workspaceId, id);
  if (!j) return 'missing';
  if (j.liveVersion !== undefined) return 'published';
  await s.journeys.deleteOne({ _id: id, workspaceId, liveVersion: { $exists: false } });
  return 'deleted';
}

function triggerTypes(compiled: CompiledJourney, registry: NodeRegistry): string[] {
  const types = new Set<string>();
  for (const id of compiled.triggers) {
    const n = compiled.nodes[id];
    const configured = (n.config as { eventTypes?: string[] }).eventTypes;
    for (const t of configured ?? registry.get(n.type, n.version)?.triggerEventTypes ?? []) types.add(t);
  }
  return [...types];
}

/** Freezes the draft as the next immutable version and makes it the one new entries use. */
export async function publishJourney(s: Store, registry: NodeRegistry, workspaceId: string, id: string, note?: string, now = new Date()): Promise<JourneyVersionDoc | null> {
  const j = await getJourney(s, workspaceId, id);
  if (!j) return null;
  const issues = validateJourney(j.draft, registry, outboundPolicy());
  if (hasErrors(issues)) throw journeyInvalid(issues);
  const latest = await s.versions.find({ workspaceId, journeyId: id }).sort({ version: -1 }).limit(1).next();
  const version = (latest?.version ?? 0) + 1;
  const compiled = compileJourney(j.draft, registry, { workspaceId, journeyId: id, version });
  const doc: JourneyVersionDoc = {
    _id: `${id}|v${version}`, workspaceId, journeyId: id, version, name: j.name, note, graph: j.draft, compiled, publishedAt: now,
    listensToEvents: listensToEvents(compiled),
  };
  // A concurrent publish of the same number hits the unique _id and fails loudly rather than overwriting.
  await s.versions.insertOne(doc);
  await s.journeys.updateOne(
    { _id: id, workspaceId },
    { $set: { status: 'live', liveVersion: version, liveTriggerTypes: triggerTypes(compiled, registry), updatedAt: now } },
  );
  forgetLiveJourneys(workspaceId);
  return doc;
}

export function listVersions(s: Store, workspaceId: string, journeyId: string) {
  return s.versions.find({ workspaceId, journeyId }, { projection: { compiled: 0 } }).sort({ version: -1 }).toArray();
}

export function getVersion(s: Store, workspaceId: string, journeyId: string, version: number) {
  return s.versions.findOne({ _id: `${journeyId}|v${version}`, workspaceId });
}

const LIVE_CACHE_MS = 1000;
const liveCache = new Map<string, { at: number; journeys: Promise<JourneyDoc[]> }>();

/**
 * The workspace's live journeys, cached for a second per process: ingestion asks on every event, and the
 * embedded store answers such a query with a full scan. Publishing in this process refreshes at once; other API
 * processes see a new version within a second.
 */
export function liveJourneys(s: Store, workspaceId: string): Promise<JourneyDoc[]> {
  const hit = liveCache.get(workspaceId);
  if (hit && Date.now() - hit.at < LIVE_CACHE_MS) return hit.journeys;
  const journeys = s.journeys.find({ workspaceId, status: 'live' }, { projection: { draft: 0 } }).toArray() as Promise<JourneyDoc[]>;
  journeys.catch(() => liveCache.delete(workspaceId));
  liveCache.set(workspaceId, { at: Date.now(), journeys });
  return journeys;
}

export function forgetLiveJourneys(workspaceId: string): void {
  liveCache.delete(workspaceId);
  listenCache.delete(workspaceId);
}

/** Runs of this version react to the contact's later events: they wait for one, or have a goal. */
function listensToEvents(compiled: CompiledJourney): boolean {
  return !!compiled.settings.goal || Object.values(compiled.nodes).some((n) => n.flow === 'wait-for-event');
}

const listenCache = new Map<string, { at: number; answer: Promise<boolean> }>();

/**
 * Whether any published version of the workspace has runs that react to contact events (versions published
 * before the flag was recorded count as yes). Cached like the live journeys; publishing refreshes it.
 */
export function runsMayWaitForEvents(s: Store, workspaceId: string): Promise<boolean> {
  const hit = listenCache.get(workspaceId);
  if (hit && Date.now() - hit.at < LIVE_CACHE_MS) return hit.answer;
  const answer = s.versions.findOne({ workspaceId, listensToEvents: { $ne: false } }, { projection: { _id: 1 } }).then((v) => !!v);
  answer.catch(() => listenCache.delete(workspaceId));
  listenCache.set(workspaceId, { at: Date.now(), answer });
  return answer;
}
