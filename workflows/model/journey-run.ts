/**
 * The contract of a journey run with its callers (ingestion, the enrollments API): its input, its result and the
 * signals it takes. Plain data and type-only imports, so callers need not load workflow code.
 */
import type { SignalDefinition } from '@temporalio/common';
import type { ContactEvent } from '../../nodes/contract';
import type { EnrollmentRef, FinishInput } from '../activities.types';
import type { CompiledJourney } from './compile-journey';

/** A contact event for a run that may be waiting for it (wait-for-event, goal). */
export const contactEventSignal = { type: 'signal', name: 'contactEvent' } as SignalDefinition<[ContactEvent], 'contactEvent'>;
/** Ends the current wait now, as if its time had come: the simulated clock of test runs (same code path). */
export const fastForwardSignal = { type: 'signal', name: 'fastForward' } as SignalDefinition<[], 'fastForward'>;

export interface JourneyRunInput {
  ref: EnrollmentRef;
  journey: CompiledJourney;
  triggerNodeId: string;
  trigger: ContactEvent;
  /** Snapshot of the contact's time zone at entry, for windows in the contact's time. */
  contactTimezone?: string;
  /**
   * The trigger event created the contact (at this epoch ms): the run's first stretch starts from that new contact
   * (its identity is the trigger's, nothing else is set yet) instead of reading it back from the store.
   */
  contactCreatedAt?: number;
  dryRun?: boolean;
  /**
   * The run writes its own enrollment (the API did not insert it): its first stretch inserts it as it ends (or as
   * still active, if the run goes on), and a finish that finds none inserts it (see runsInOneStretch).
   */
  enrollment?: EnrollmentSeed;
  /** Steps before the run continues as new (bounded history); default 500. */
  maxStepsPerRun?: number;
  resume?: ResumeState;
}

/** What the enrollment row holds beyond the run's ref. */
export interface EnrollmentSeed { triggerEventId: string; entryKey: string; startedAt: number }

export interface ResumeState {
  nodeId: string;
  seq: number;
  visits: Record<string, number>;
  event: ContactEvent;
  seenEventIds: string[];
  inbox: ContactEvent[];
}

export interface JourneyRunResult { status: FinishInput['status']; outcome: string; steps: number }
