/**
 * POST /api/v1/channels/:channel/test ("Test connection") against the fake WeChat API on 127.0.0.1 (allow-listed
 * while it runs) and a local HTTP platform: ok with the token's lifetime for good credentials, WeChat's errcode for
 * a wrong AppSecret or AppID, the status of a GET for HTTP channels, 404 for an unconnected channel, in both
 * languages — and never a secret or an access_token in the answer.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearWechatTokens } from '../../core/channels/wechat/client';
import { call } from '../helpers/api';
import { startFakeWechat, type FakeWechat } from '../helpers/fake-wechat';
import { allowOutbound } from '../helpers/outbound-allow';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let wx: FakeWechat;
let platform: http.Server;
let platformUrl: string;
let disallowPlatform: () => void;
const seenAuth: (string | undefined)[] = [];
const TOKEN = 'journeysToken2024';
const HTTP_TOKEN = 'http-platform-token-123456';

const connect = (channel: string, settings: Record<string, unknown>, secrets: Record<string, string>) => call(stack.app, 'PUT', `/api/v1/channels/${channel}`, { settings, ...secrets });
const test = (channel: string, lang = 'en') => call(stack.app, 'POST', `/api/v1/channels/${channel}/test`, undefined, { 'accept-language': lang });

beforeAll(async () => {
  wx = await startFakeWechat({ expiresIn: 7200 });
  platform = http.createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    res.writeHead(req.headers.authorization === `Bearer ${HTTP_TOKEN}` ? 200 : 401).end('{}');
  });
  await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
  const port = (platform.address() as AddressInfo).port;
  platformUrl = `http://127.0.0.1:${port}`;
  disallowPlatform = allowOutbound(`127.0.0.1:${port}`);
  stack = await startStack({ worker: false });
  clearWechatTokens();
});
afterAll(async () => {
  await stack?.close();
  await wx?.close();
  disallowPlatform?.();
  await new Promise((r) => platform?.close(r));
});

describe('Test connection', () => {
  it('a good WeChat channel: ok, with the lifetime of a fresh access_token, and no secret or token in the answer', async () => {
    const put = await connect('wechat', { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, { token: wx.appSecret, webhookSecret: TOKEN });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const before = wx.tokenCalls();
    const res = await test('wechat');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, status: 200, message: 'WeChat accepted the AppID and AppSecret (access_token valid for 7200 s)', details: { kind: 'wechat', expiresInS: 7200 } });
    expect(wx.tokenCalls()).toBe(before + 1);
    // A second test asks WeChat again: a cached token would prove nothing.
    expect((await test('wechat')).body.ok).toBe(true);
    expect(wx.tokenCalls()).toBe(before + 2);
    const zh = await test('wechat', 'zh-CN');
    // The same token again (WeChat's normal mode), with what is left of its 7200 s.
    expect(zh.body.message).toMatch(/^微信已接受 AppID 和 AppSecret（access_token 有效期 (7200|71\d\d) 秒）$/);
    const text = JSON.stringify([res.body, zh.body]);
    for (const secret of [wx.appSecret, TOKEN, 'FAKE_ACCESS_TOKEN']) expect(text).not.toContain(secret);
  });

  it('a wrong AppSecret or AppID: ok false with WeChat\'s errcode and what it means, never the secret', async () => {
    const wrong = 'wrong-app-secret-000000000000000';
    await connect('wx-bad-secret', { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, { token: wrong, webhookSecret: TOKEN });
    const res = await test('wx-bad-secret');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, status: 200, details: { kind: 'wechat', errcode: 40125 } });
    expect(res.body.message).toContain('errcode 40125');
    expect(res.body.message).toContain('invalid AppSecret');
    const zh = await test('wx-bad-secret', 'zh-CN');
    expect(zh.body.message).toContain('微信拒绝了 AppID/AppSecret：errcode 40125');
    expect(JSON.stringify([res.body, zh.body])).not.toContain(wrong);
    expect(JSON.stringify([res.body, zh.body])).not.toContain('rid: fake'); // WeChat's errmsg is not passed on

    await connect('wx-bad-appid', { kind: 'wechat', appId: 'wx0000000000000000', apiBaseUrl: wx.url, encodingMode: 'plain' }, { token: wx.appSecret, webhookSecret: TOKEN });
    const appId = await test('wx-bad-appid');
    expect(appId.body).toMatchObject({ ok: false, details: { errcode: 40013 } });
    expect(appId.body.message).toContain('invalid AppID');
    expect(JSON.stringify(appId.body)).not.toContain(wx.appSecret);
  });

  it('an HTTP channel: the status of a GET of baseUrl with its token', async () => {
    await connect('helpdesk', { kind: 'http', baseUrl: platformUrl }, { token: HTTP_TOKEN });
    const res = await test('helpdesk');
    expect(res.body).toEqual({ ok: true, status: 200, message: 'The platform answered 200 to a GET of baseUrl', details: { kind: 'http' } });
    expect(seenAuth.at(-1)).toBe(`Bearer ${HTTP_TOKEN}`);
    await connect('helpdesk-bad', { kind: 'http', baseUrl: platformUrl }, { token: 'not-the-token' });
    const bad = await test('helpdesk-bad');
    expect(bad.body).toMatchObject({ ok: false, status: 401, message: 'The platform refused the token: 401' });
    expect(JSON.stringify([res.body, bad.body])).not.toContain(HTTP_TOKEN);
  });

  it('an unconnected channel is a 404, in both languages', async () => {
    const res = await test('nowhere');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'channel_not_connected', message: 'channel "nowhere" is not connected' });
    expect((await test('nowhere', 'zh-CN')).body.message).toBe('渠道“nowhere”尚未连接');
  });
});
