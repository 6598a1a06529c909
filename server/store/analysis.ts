import type { TextAnalysis } from '../../nodes/text/analyze';
import type { Store } from './db';

/** What the API, the editor preview and the stored interaction show of a text analysis (the filter nodes' view). */
export function analysisView(a: TextAnalysis) {
  return { language: a.language, sentiment: { label: a.sentiment.label, score: a.sentiment.score, hits: a.sentiment.hits }, keywords: a.keywords };
}

/** Keeps the analysis with the stored interaction (idempotent: same text, same analysis). */
export async function storeAnalysis(s: Store, workspaceId: string, eventId: string, a: TextAnalysis): Promise<void> {
  await s.interactions.updateOne({ _id: `${workspaceId}|event|${eventId}` }, { $set: { analysis: analysisView(a) } });
}
