import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installResponseCheck } from './response-check';

async function appAnswering(payload: unknown, response: object) {
  const app = Fastify();
  installResponseCheck(app);
  app.get('/x', { schema: { response: { 200: response } } }, async () => payload);
  await app.ready();
  return app.inject({ method: 'GET', url: '/x' });
}

describe('the response check', () => {
  const schema = { type: 'object', properties: { id: { type: 'string' }, n: { type: 'integer' }, at: { type: 'string', format: 'date-time' } }, additionalProperties: false };

  it('lets an answer through that its schema serializes unchanged (dates as ISO strings included)', async () => {
    const res = await appAnswering({ id: 'a', n: 2, at: new Date('2026-01-02T03:04:05.000Z') }, schema);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'a', n: 2, at: '2026-01-02T03:04:05.000Z' });
  });

  it('fails an answer whose schema drops a field, naming it', async () => {
    const res = await appAnswering({ id: 'a', n: 2, extra: { deep: 1 } }, schema);
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toContain('/extra');
  });

  it('fails an answer whose schema coerces a value (a fraction under integer)', async () => {
    const res = await appAnswering({ id: 'a', n: 2.5 }, schema);
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toContain('/n');
  });
});
