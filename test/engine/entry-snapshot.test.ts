import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Worker } from '@temporalio/worker';
import { ChannelRegistry } from '../../core/channels/channel-adapter';
import { contactFromEntry, ENTRY_SNAPSHOT_MS, entrySnapshot } from '../../core/store/contacts';
import type { Store } from '../../core/store/db';
import type { ContactDoc } from '../../core/store/documents';
import { createJourneyWorker } from '../../workflows/worker';
import { call, mention, publishJourney } from '../helpers/api';
import { eventually, startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from './fixtures';

// Engine v2, store operations per run: the run's first stretch starts milliseconds after ingestion read the
// contact, so it takes that read (from the run's input) instead of reading the contact again.
describe('the first stretch uses the contact ingestion read', () => {
  let stack: TestStack;
  let worker: Worker;
  let running: Promise<void>;
  let close: () => Promise<void>;
  const reads: string[] = [];
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    // The worker's store counts reads of contacts.
    const contacts = new Proxy(stack.store.contacts, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (prop === 'findOne') return (...args: unknown[]) => { reads.push(JSON.stringify(args[0])); return (v as (...a: unknown[]) => unknown).apply(target, args); };
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const w = await createJourneyWorker({
      temporalAddress: stack.temporalAddress, namespace: 'default', taskQueue: stack.taskQueue, store: { ...stack.store, contacts } as Store,
      registry: stack.rt.registry, channels: new ChannelRegistry([]), workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    worker = w.worker;
    close = () => w.connection.close();
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await close?.();
    await stack?.close();
  });

  it('a 5-node run reads no contact, and its nodes see the contact as it was at entry', async () => {
    await publishJourney(stack.app, mentionRescue());
    const res = await call(stack.app, 'POST', '/api/v1/events', mention('@entry-snapshot', 'my order is broken'));
    expect(res.status).toBe(200);
    const contactId = res.body.contactId as string;
    const run = await eventually(async () => {
      const e = await stack.store.enrollments.findOne({ contactId, status: { $ne: 'active' } });
      return e ?? undefined;
    });
    expect(run.status).toBe('completed');
    expect((await stack.store.contacts.findOne({ _id: contactId }))?.scores.risk).toBe(10);
    const steps = await stack.store.steps.find({ enrollmentId: run._id }).sort({ seq: 1 }).toArray();
    expect(steps.map((s) => s.nodeId)).toEqual(['mention', 'is-complaint', 'risk', 'apologize']);
    expect(await stack.store.outbox.countDocuments({ contactId, status: 'sent' })).toBe(1);
    expect(reads.filter((r) => r.includes(contactId))).toEqual([]);
  });

  it('an entry snapshot is used only while fresh, and never carries the effect keys', () => {
    const now = Date.now();
    const doc: ContactDoc = {
      _id: 'c1', workspaceId: 'default', identities: [{ channel: 'weibo', handle: '@a' }], profile: { name: 'Lily' }, tags: ['fan'], scores: { risk: 2 },
      consent: {}, createdAt: new Date(now - 1000), updatedAt: new Date(now), appliedEffects: ['k1', 'k2'],
    };
    const snap = JSON.parse(JSON.stringify(entrySnapshot(doc, now))); // as it travels in the run's input
    expect(snap.contact.appliedEffects).toBeUndefined();
    const back = contactFromEntry(snap, now + 100)!;
    expect(back).toMatchObject({ _id: 'c1', profile: { name: 'Lily' }, tags: ['fan'], scores: { risk: 2 }, appliedEffects: [] });
    expect(back.createdAt).toEqual(doc.createdAt);
    expect(contactFromEntry(snap, now + ENTRY_SNAPSHOT_MS + 1)).toBeUndefined();
    expect(contactFromEntry(undefined, now)).toBeUndefined();
  });
});
