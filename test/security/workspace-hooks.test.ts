import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../../core/channels/inbound-signature';
import { putChannelConfig } from '../../core/store/channel-configs';
import { call, mention } from '../helpers/api';
import { startStack, type TestStack } from '../helpers/stack';

// Platforms that post to a pasted URL cannot set x-workspace-id: /api/v1/hooks/:workspaceId/:channel names it, and
// says nothing about which workspaces exist.
describe('webhook URLs that name the workspace', () => {
  let stack: TestStack;
  const secret = 'hooks-secret-0123456789';
  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await putChannelConfig(stack.store, stack.workspaceId, 'weibo', { kind: 'http', baseUrl: 'https://api.weibo.example' }, { token: 't', webhookSecret: secret });
    expect((await call(stack.app, 'POST', '/api/v1/workspaces', { id: 'brand-b', admin: { email: 'admin@brand-b.test', password: 'b-admin-password-1' } })).status).toBe(201);
    await putChannelConfig(stack.store, 'brand-b', 'weibo', { kind: 'http', baseUrl: 'https://api.weibo.example' }, { token: 't', webhookSecret: 'brand-b-secret-0123456789' });
  });
  afterAll(async () => { await stack?.close(); });

  // No credentials, no workspace header: what a platform sends.
  const post = (url: string, raw: string, sig?: string, contentType = 'application/json') => stack.app.inject({
    method: 'POST', url, payload: raw, headers: { authorization: '', 'content-type': contentType, ...(sig ? { [WEBHOOK_SIGNATURE_HEADER]: sig } : {}) },
  });

  it('a signed delivery lands in the workspace the URL names, once', async () => {
    const raw = JSON.stringify({ ...mention('@hooked', 'hello from the pasted URL'), channel: undefined });
    const sig = signWebhook(secret, raw);
    const res = await post(`/api/v1/hooks/${stack.workspaceId}/weibo`, raw, sig);
    expect(res.statusCode, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ contactId: expect.any(String) });
    const contact = await stack.store.contacts.findOne({ _id: JSON.parse(res.body).contactId });
    expect(contact?.workspaceId).toBe(stack.workspaceId);
    expect(await stack.store.interactions.countDocuments({ workspaceId: stack.workspaceId, text: 'hello from the pasted URL' })).toBe(1);
    // The same delivery again is refused; nothing more is stored.
    expect((await post(`/api/v1/hooks/${stack.workspaceId}/weibo`, raw, sig)).statusCode).toBe(401);
    expect(await stack.store.interactions.countDocuments({ text: 'hello from the pasted URL' })).toBe(1);
  });

  it("another workspace's secret does not open this workspace's URL, and nothing is written", async () => {
    const raw = JSON.stringify(mention('@intruder', 'forged into default'));
    const res = await post(`/api/v1/hooks/${stack.workspaceId}/weibo`, raw, signWebhook('brand-b-secret-0123456789', raw));
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).message).toContain(WEBHOOK_SIGNATURE_HEADER);
    expect(await stack.store.interactions.countDocuments({ text: 'forged into default' })).toBe(0);
    const unsigned = await post(`/api/v1/hooks/brand-b/weibo`, raw);
    expect(unsigned.statusCode).toBe(401);
  });

  it('an unknown workspace and an unconnected channel answer the same 404, in both languages', async () => {
    const raw = JSON.stringify(mention('@probe', 'probe'));
    const unknownWs = await post('/api/v1/hooks/no-such-workspace/weibo', raw, signWebhook(secret, raw));
    const unconnected = await post(`/api/v1/hooks/${stack.workspaceId}/wechat`, raw, signWebhook(secret, raw));
    expect(unknownWs.statusCode).toBe(404);
    expect(unconnected.statusCode).toBe(404);
    expect(JSON.parse(unknownWs.body)).toEqual(JSON.parse(unconnected.body));
    const zh = await stack.app.inject({ method: 'GET', url: '/api/v1/hooks/no-such-workspace/weibo', headers: { authorization: '', 'accept-language': 'zh-CN' } });
    expect(zh.statusCode).toBe(404);
    expect(JSON.parse(zh.body).message).toContain('工作区不存在');
    // The generic channel has no URL handshake: its GET is the same 404 as an unknown workspace.
    const get = await stack.app.inject({ method: 'GET', url: `/api/v1/hooks/${stack.workspaceId}/weibo`, headers: { authorization: '' } });
    expect(get.statusCode).toBe(404);
    expect(JSON.parse(get.body)).toEqual(JSON.parse(unknownWs.body));
  });

  it('a malformed body is a 400 naming the field and writes nothing; a bad workspace id is a 400', async () => {
    const raw = JSON.stringify({ ...mention('@bad', 'bad body'), type: 'Not A Type' });
    const res = await post(`/api/v1/hooks/${stack.workspaceId}/weibo`, raw, signWebhook(secret, raw));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).message).toContain('body/type must match pattern');
    expect(await stack.store.contacts.countDocuments({ 'identities.handle': '@bad' })).toBe(0);
    const nonJson = 'not json';
    expect((await post(`/api/v1/hooks/${stack.workspaceId}/weibo`, nonJson, signWebhook(secret, nonJson), 'text/plain')).statusCode).toBe(400);
    expect((await post('/api/v1/hooks/bad%20ws!/weibo', raw, signWebhook(secret, raw))).statusCode).toBe(400);
  });

  it('is listed in the OpenAPI document as public', async () => {
    const doc = JSON.parse((await stack.app.inject({ method: 'GET', url: '/api/openapi.json' })).body);
    expect(Object.keys(doc.paths['/api/v1/hooks/{workspaceId}/{channel}'])).toEqual(expect.arrayContaining(['get', 'post']));
  });
});
