import type { TextAnalysis } from '../../nodes/text/analyze';

/** What the API, the editor preview and the stored interaction show of a text analysis (the filter nodes' view). */
export function analysisView(a: TextAnalysis) {
  return { language: a.language, sentiment: { label: a.sentiment.label, score: a.sentiment.score, hits: a.sentiment.hits }, keywords: a.keywords };
}
