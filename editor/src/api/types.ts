/** Shapes the editor reads from the API (the server's responses, not re-declared schemas of documents). */
import type { NodeManifest } from '../../../nodes/contract';
import type { JourneyDocument } from '../../../workflows/model/journey-schema';
import type { ValidationIssue } from '../../../workflows/model/validate-journey';

export type CatalogManifest = NodeManifest<any>;
export interface Catalog { categories: { category: string; nodes: CatalogManifest[] }[] }

export interface JourneySummary {
  id: string; name: string; status: string; liveVersion: number | null; updatedAt: string; enrolled: number; active: number;
}

export interface JourneyView extends JourneyDocument {
  id: string; status: string; liveVersion: number | null; revision: number; createdAt: string; updatedAt: string; issues: ValidationIssue[];
}

export interface VersionView { version: number; name: string; note: string | null; publishedAt: string; nodes: JourneyDocument['nodes']; edges: JourneyDocument['edges']; settings?: JourneyDocument['settings'] }

export interface NodeStats { entered: number; waiting: number; exited: number; errors: number; ports: Record<string, number> }
export interface JourneyStats { journeyId: string; version: number; enrollments: Record<string, number>; nodes: Record<string, NodeStats> }

export interface RunStep {
  seq: number; nodeId: string; nodeType: string; outcome: string; port?: string | null; at: string; resumeAt?: string | null;
  evaluated?: unknown; output?: Record<string, unknown> | null; error?: { code?: string; message?: string } | string | null;
}
export interface EnrollmentView {
  id: string; journeyId: string; version: number; contactId: string; status: string; outcome: string | null; currentNodeId: string | null;
  waitingUntil: string | null; test: boolean; startedAt: string; endedAt: string | null; steps: RunStep[];
}
