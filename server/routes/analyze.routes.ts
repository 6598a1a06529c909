import type { FastifyInstance } from 'fastify';
import { createAjv, toFieldErrors } from '../../nodes/ajv';
import { analyzeText } from '../../nodes/text/analyze';
import { badRequest } from '../../core/errors';
import type { AppDeps } from '../app-deps';
import { analysisView } from '../../core/store/analysis';
import { errorResponse } from './schemas';

const analyzeBody = {
  type: 'object',
  properties: { text: { type: 'string', maxLength: 20_000, description: 'A post, comment or message in Chinese, English or both' } },
  required: ['text'],
  additionalProperties: false,
} as const;

const analysisResponse = {
  type: 'object',
  properties: {
    language: { type: 'string', enum: ['zh', 'en', 'mixed', 'unknown'] },
    sentiment: {
      type: 'object',
      properties: {
        label: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
        score: { type: 'number', description: '-1 (very negative) … 1 (very positive)' },
        hits: { type: 'array', items: { type: 'string' }, description: 'Lexicon terms, negators and intensifiers that counted' },
      },
      required: ['label', 'score'],
    },
    keywords: { type: 'array', items: { type: 'string' } },
  },
  required: ['language', 'sentiment', 'keywords'],
} as const;

// Strict (no type coercion): `{"text": 42}` is a client error, not the text "42".
const validateBody = createAjv().compile(analyzeBody);

/** The editor previews a sentiment / keyword filter on sample text: the same analysis the filter nodes compute. */
export async function analyzeRoutes(app: FastifyInstance, _opts: { deps: AppDeps }) {
  app.post<{ Body: { text: string } }>('/api/v1/analyze', {
    schema: {
      tags: ['analysis'], summary: 'Language, sentiment (label and score) and keywords of a text, exactly as filter nodes see them',
      body: analyzeBody, response: { 200: analysisResponse, 400: errorResponse },
    },
    // A preview that changes nothing: anyone who can read the workspace may use it.
    config: { permission: 'read' },
    validatorCompiler: () => (data) => ({ value: data }),
  }, async (req) => {
    if (!validateBody(req.body)) throw badRequest(toFieldErrors(validateBody.errors));
    return analysisView(analyzeText(req.body.text));
  });
}
