/**
 * The journey document's sticky notes and the journey list's folders, search and filters through the API: notes
 * are saved, versioned and bounded but never validated, compiled or run; folders are set at create, by PATCH and
 * by PUT, and the list narrows by text (any case, Chinese too), folder (and below), status and trigger type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';
import { mentionRescue } from './fixtures';

const NOTE = { id: 'note-1', position: { x: 10, y: -20 }, size: { width: 240, height: 160 }, text: '**Why**: angry mentions get a reply first', color: 'yellow' };

describe('journey notes', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });

  it('are saved with the draft, kept in published versions, and never validated or compiled', async () => {
    const created = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), notes: [NOTE] });
    expect(created.status).toBe(201);
    expect(created.body.notes).toEqual([NOTE]);
    expect(created.body.issues).toEqual([]);
    const blue = { ...NOTE, id: 'note-2', text: '提醒：周末不发私信', color: 'blue' };
    const put = await call(stack.app, 'PUT', `/api/v1/journeys/${created.body.id}`, { ...mentionRescue(), notes: [NOTE, blue], revision: created.body.revision });
    expect(put.status).toBe(200);
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}`)).body.notes).toEqual([NOTE, blue]);
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/validate`)).body).toEqual({ valid: true, issues: [] });

    expect((await call(stack.app, 'POST', `/api/v1/journeys/${created.body.id}/publish`, {})).status).toBe(201);
    const [v1] = (await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/versions`)).body.versions;
    expect(v1.notes).toEqual([NOTE, blue]);
    // What the worker gets (the compiled version) knows nothing of notes.
    const stored = await stack.store.versions.findOne({ journeyId: created.body.id });
    expect(JSON.stringify(stored!.compiled)).not.toContain('note-');

    // A later draft without notes leaves the version's as they were.
    await call(stack.app, 'PUT', `/api/v1/journeys/${created.body.id}`, { ...mentionRescue(), notes: [] });
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}`)).body.notes).toBeUndefined();
    expect((await call(stack.app, 'GET', `/api/v1/journeys/${created.body.id}/versions`)).body.versions[0].notes).toEqual([NOTE, blue]);
  });

  it('refuses a note too long, too many notes, an unknown colour or a missing size with 400 naming the field', async () => {
    const cases: [unknown[], string][] = [
      [[{ ...NOTE, text: 'x'.repeat(5001) }], 'body/notes/0/text must NOT have more than 5000 characters'],
      [Array.from({ length: 201 }, (_, i) => ({ ...NOTE, id: `n${i}` })), 'body/notes must NOT have more than 200 items'],
      [[{ ...NOTE, color: 'red' }], 'body/notes/0/color must be one of: yellow, blue, green, pink, purple'],
      [[{ ...NOTE, size: undefined }], 'body/notes/0/size is required'],
      [[{ ...NOTE, size: { width: 10, height: 100 } }], 'body/notes/0/size/width must be >= 80'],
    ];
    for (const [notes, message] of cases) {
      const res = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), name: 'Bad notes', notes });
      expect(res.status, message).toBe(400);
      expect(res.body.message).toContain(message);
    }
    expect(await stack.store.journeys.countDocuments({ name: 'Bad notes' })).toBe(0);
  });
});

describe('journey folders, search and filters', () => {
  let stack: TestStack;
  beforeAll(async () => { stack = await startStack({ worker: false }); });
  afterAll(async () => { await stack?.close(); });
  const names = async (query = '') => {
    const res = await call(stack.app, 'GET', `/api/v1/journeys${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.journeys as { name: string }[]).map((j) => j.name).sort();
  };
  const formJourney = (name: string) => ({
    name,
    nodes: [
      { id: 'form', type: 'trigger.form-submitted', version: 1, config: {} },
      { id: 'hello', type: 'response.reply', version: 1, config: { mode: 'dm', message: 'Thanks!' } },
    ],
    edges: [{ from: 'form', port: 'next', to: 'hello' }],
  });

  it('puts journeys in folders at create, by PATCH and by PUT, and lists every folder', async () => {
    const spring = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), name: 'Spring sale', description: 'Mentions about the SALE', folder: 'Campaigns/Spring' });
    expect(spring.status).toBe(201);
    expect(spring.body.folder).toBe('Campaigns/Spring');
    const care = await call(stack.app, 'POST', '/api/v1/journeys', { ...mentionRescue(), name: '投诉处理', description: '处理负面提及' });
    expect(care.body.folder).toBeNull();
    const form = await call(stack.app, 'POST', '/api/v1/journeys', formJourney('Lead form'));

    const moved = await call(stack.app, 'PATCH', `/api/v1/journeys/${care.body.id}`, { folder: '客服' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ folder: '客服', revision: care.body.revision });
    const put = await call(stack.app, 'PUT', `/api/v1/journeys/${form.body.id}`, { ...formJourney('Lead form'), folder: 'Campaigns' });
    expect(put.body.folder).toBe('Campaigns');
    // A save without a folder (the editor's autosave) leaves it where it is.
    expect((await call(stack.app, 'PUT', `/api/v1/journeys/${form.body.id}`, formJourney('Lead form'))).body.folder).toBe('Campaigns');
    // A clone sits next to its original.
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${spring.body.id}/clone`, { name: 'Spring sale B' })).body.folder).toBe('Campaigns/Spring');

    const list = (await call(stack.app, 'GET', '/api/v1/journeys')).body;
    expect(list.folders).toEqual(['Campaigns', 'Campaigns/Spring', '客服']);
    expect(list.journeys.find((j: { id: string }) => j.id === form.body.id)).toMatchObject({ folder: 'Campaigns', triggers: ['trigger.form-submitted'] });
    expect(list.journeys.find((j: { id: string }) => j.id === spring.body.id)).toMatchObject({ triggers: ['trigger.event'] });

    expect(await names('?folder=Campaigns')).toEqual(['Lead form', 'Spring sale', 'Spring sale B']);
    expect(await names('?folder=Campaigns%2FSpring')).toEqual(['Spring sale', 'Spring sale B']);
    expect(await names(`?folder=${encodeURIComponent('客服')}`)).toEqual(['投诉处理']);
    // Out of every folder: renaming a folder is moving its journeys.
    expect((await call(stack.app, 'PATCH', `/api/v1/journeys/${care.body.id}`, { folder: null })).body.folder).toBeNull();
    expect((await call(stack.app, 'GET', '/api/v1/journeys')).body.folders).toEqual(['Campaigns', 'Campaigns/Spring']);
  });

  it('searches names and descriptions in any case and in Chinese, and filters by status and trigger', async () => {
    expect(await names('?q=sale')).toEqual(['Spring sale', 'Spring sale B']);
    expect(await names('?q=SPRING%20S')).toEqual(['Spring sale', 'Spring sale B']);
    expect(await names(`?q=${encodeURIComponent('负面')}`)).toEqual(['投诉处理']);
    expect(await names('?q=nothing-like-this')).toEqual([]);
    const lead = (await call(stack.app, 'GET', '/api/v1/journeys?q=lead')).body.journeys[0];
    expect((await call(stack.app, 'POST', `/api/v1/journeys/${lead.id}/publish`, {})).status).toBe(201);
    expect(await names('?status=live')).toEqual(['Lead form']);
    expect(await names('?status=draft&folder=Campaigns')).toEqual(['Spring sale', 'Spring sale B']);
    expect(await names('?trigger=trigger.form-submitted')).toEqual(['Lead form']);
    expect(await names('?trigger=trigger.event&q=spring')).toEqual(['Spring sale', 'Spring sale B']);
  });

  it('refuses a bad filter or folder with 4xx naming the field', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/api/v1/journeys?status=archived', undefined, 400, 'querystring/status must be one of: draft, live, paused'],
      ['GET', '/api/v1/journeys?folder=%2FCampaigns', undefined, 400, 'querystring/folder must match pattern'],
      ['GET', `/api/v1/journeys?q=${'x'.repeat(201)}`, undefined, 400, 'querystring/q must NOT have more than 200 characters'],
      ['GET', '/api/v1/journeys?sort=name', undefined, 400, 'querystring/sort is not an allowed property'],
      ['PATCH', '/api/v1/journeys/x', { folder: 'A//B' }, 400, 'body/folder must match pattern'],
      ['PATCH', '/api/v1/journeys/x', {}, 400, 'body/folder is required'],
      ['PATCH', '/api/v1/journeys/x', { folder: 'A', name: 'B' }, 400, 'body/name is not an allowed property'],
      ['POST', '/api/v1/journeys', { ...mentionRescue(), folder: ' A' }, 400, 'body/folder must match pattern'],
      ['PATCH', '/api/v1/journeys/no-such-journey', { folder: 'A' }, 404, 'journey'],
    ];
    for (const [method, url, body, status, message] of cases) {
      const res = await call(stack.app, method as 'GET', url, body);
      expect(res.status, `${method} ${url}`).toBe(status);
      expect(res.body.message, `${method} ${url}`).toContain(message);
    }
  });
});
