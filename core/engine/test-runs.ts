/**
 * Test runs: the marketer's draft, run for one test contact in dry-run mode (outbound nodes record instead of
 * sending). Same interpreter and activities as live runs; waits can be fast-forwarded with a signal.
 */
import { randomUUID } from 'node:crypto';
import type { ContactEvent } from '../../nodes/contract';
import { isTimeZone } from '../../nodes/formats';
import type { NodeRegistry } from '../../nodes/registry';
import { compileJourney } from '../../workflows/model/compile-journey';
import { hasErrors, validateJourney, type ValidationIssue } from '../../workflows/model/validate-journey';
import type { JourneyRunInput } from '../../workflows/model/journey-run';
import { normalizeIdentity, resolveContact } from '../store/contacts';
import { storeEvent } from '../store/interactions';
import type { JourneyDoc } from '../store/documents';
import { insertEnrollment } from '../store/runs';
import { matchingTrigger, type EngineDeps } from './ingest';

/** Draft runs are recorded as version 0, apart from every published version's analytics. */
export const DRAFT_VERSION = 0;

export class TestRunError extends Error {
  constructor(readonly code: 'journey_invalid' | 'no_matching_trigger', message: string, readonly issues: ValidationIssue[] = []) {
    super(message);
  }
}

export function isTestRun(enrollmentId: string): boolean {
  return enrollmentId.startsWith('test:');
}

export interface TestRunRequest {
  contact: { channel: string; handle: string; profile?: Record<string, unknown> };
  event: { type: string; text?: string; data?: Record<string, unknown>; threadId?: string };
}

export function testEvent(contact: { channel: string; handle: string }, e: TestRunRequest['event']): ContactEvent {
  return { id: `test-${randomUUID()}`, type: e.type, channel: contact.channel, handle: contact.handle, text: e.text, data: e.data, threadId: e.threadId, occurredAt: new Date().toISOString() };
}

export async function startTestRun(d: EngineDeps, registry: NodeRegistry, journey: JourneyDoc, req: TestRunRequest) {
  const issues = validateJourney(journey.draft, registry);
  if (hasErrors(issues)) throw new TestRunError('journey_invalid', 'fix the journey before testing it', issues);
  const ws = journey.workspaceId;
  const compiled = compileJourney(journey.draft, registry, { workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION });
  const identity = normalizeIdentity(req.contact);
  const { contact } = await resolveContact(d.store, ws, identity);
  if (req.contact.profile && Object.keys(req.contact.profile).length) {
    const set = Object.fromEntries(Object.entries(req.contact.profile).map(([k, v]) => [`profile.${k}`, v]));
    await d.store.contacts.updateOne({ _id: contact._id, workspaceId: ws }, { $set: { ...set, updatedAt: new Date() } });
    Object.assign(contact.profile, req.contact.profile);
  }
  const event = testEvent(identity, req.event);
  const triggerNodeId = matchingTrigger(compiled, event, contact, new Date());
  if (!triggerNodeId) throw new TestRunError('no_matching_trigger', `no trigger of this journey starts on a "${event.type}" event from channel "${event.channel}"`);
  await storeEvent(d.store, ws, contact._id, event);
  const id = `test:${journey._id}:${randomUUID()}`;
  await insertEnrollment(d.store, {
    _id: id, workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION, contactId: contact._id, triggerEventId: event.id,
    entryKey: 'test', status: 'active', startedAt: new Date(),
  });
  const input: JourneyRunInput = {
    ref: { workspaceId: ws, journeyId: journey._id, version: DRAFT_VERSION, enrollmentId: id, contactId: contact._id },
    journey: compiled, triggerNodeId, trigger: event, dryRun: true,
    contactTimezone: isTimeZone(contact.profile.timezone) ? (contact.profile.timezone as string) : undefined,
  };
  await d.temporal.workflow.start('journeyRun', { workflowId: id, taskQueue: d.taskQueue, args: [input] });
  return { enrollmentId: id, contactId: contact._id };
}
