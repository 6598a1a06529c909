/** Shapes passed between the interpreter workflow and its activities (plain JSON). */
import type { ContactEvent } from '../nodes/contract';
import type { CompiledNode } from './model/compile-journey';
import type { JourneySettings } from './model/journey-schema';
import type { EnrollmentSeed } from './model/journey-run';

export interface EnrollmentRef {
  workspaceId: string;
  journeyId: string;
  version: number;
  enrollmentId: string;
  contactId: string;
}

export interface RunNodeInput {
  ref: EnrollmentRef;
  node: CompiledNode;
  seq: number;
  visit: number;
  trigger: ContactEvent;
  event: ContactEvent;
  settings: Pick<JourneySettings, 'frequencyCap'>;
  /** The node waited for quiet hours under this seq: its step completes that waiting record. */
  completesWait?: boolean;
  dryRun?: boolean;
}

export interface RunNodeOutput {
  port: string;
  error?: { code: string; message: string };
}

/** A timed wait's step, recorded by the stretch that stopped at it: the workflow waits until `resumeAt` (epoch ms). */
export interface RecordedWait { nodeId: string; seq: number; resumeAt: number }

export interface StepInput {
  ref: EnrollmentRef;
  nodeId: string;
  nodeType: string;
  seq: number;
  outcome: 'waiting' | 'done' | 'error' | 'exited';
  /** This record ends the wait recorded under the same seq (one write on the step's `_id`, no insert). */
  completesWait?: boolean;
  port?: string;
  at: number;
  resumeAt?: number;
  output?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export interface FinishInput {
  ref: EnrollmentRef;
  status: 'completed' | 'converted' | 'exited' | 'failed';
  outcome: string;
  at: number;
  /** The run writes its own enrollment: none found active, it is inserted as ended. */
  enrollment?: EnrollmentSeed;
}
