/**
 * The Channels screen in headless Chromium against a real stack and the fake WeChat API (127.0.0.1, allow-listed for
 * outbound calls while it runs): an admin connects a WeChat Official Account, sees the webhook URL to paste into the
 * WeChat console (with the workspace id) and a successful "Test connection"; a wrong AppSecret shows WeChat's
 * errcode; a malformed AppID is a readable field error and nothing is saved; the screen reads in Chinese; a Meta
 * (WhatsApp) channel is connected with its webhook URL and verify token to paste into Meta's console, its connection
 * test shows Meta's answer, and a wrong token Meta's code 190; an X account is connected with the webhook URL to
 * register (its CRC answered as X checks it), its connection test shows X's answer, and a wrong token X's 401.
 * One browser and one page for the whole file (2-core CI).
 */
import { beforeAll, describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { startFakeMeta, type FakeMeta } from '../helpers/fake-meta';
import { startFakeSlack, type FakeSlack } from '../helpers/fake-slack';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { startFakeWechat, type FakeWechat } from '../helpers/fake-wechat';
import { startFakeX, type FakeX } from '../helpers/fake-x';
import { signInToEditor } from './helpers/auth';
import { screenshot } from './helpers/browser';
import { useEditorSession } from './helpers/session';

const WECHAT_TOKEN = 'journeysToken2024';
const WRONG_SECRET = 'wrong-app-secret-0000000000000000';

describe('the Channels screen in Chromium', () => {
  let page: Page;
  let base: string;
  let pageErrors: string[];
  let token: string;
  let workspaceId: string;
  let wx: FakeWechat;
  let fm: FakeMeta;
  let fx: FakeX;
  let tg: FakeTelegram;
  let tw: FakeTwilio;
  let sl: FakeSlack;
  beforeAll(async () => { wx = await startFakeWechat(); fm = await startFakeMeta(); fx = await startFakeX(); tg = await startFakeTelegram(); tw = await startFakeTwilio(); sl = await startFakeSlack(); });
  const { e2e } = useEditorSession({ onOpen: (s) => { ({ base, token, page, pageErrors } = s); workspaceId = s.stack.workspaceId; }, afterClose: async () => { await wx?.close(); await fm?.close(); await fx?.close(); await tg?.close(); await tw?.close(); await sl?.close(); } });
  const byTestId = (id: string) => page.getByTestId(id);
  const channels = async () => {
    const res = await fetch(`${base}/api/v1/channels`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { channels: { channel: string; settings: Record<string, unknown>; hasToken: boolean; hasWebhookSecret: boolean }[] }).channels;
  };

  e2e('an admin connects a WeChat Official Account, sees the webhook URL, and the connection test succeeds', async () => {
    await signInToEditor(page, base, pageErrors);

    await byTestId('nav-channels').click();
    await byTestId('channels-empty').waitFor();
    expect(await byTestId('channel-kind').inputValue()).toBe('wechat');
    expect(await byTestId('channel-name').inputValue()).toBe('wechat');
    await byTestId('channel-wechat-appId').fill(wx.appId);
    await byTestId('channel-wechat-appSecret').fill(wx.appSecret);
    await byTestId('channel-wechat-token').fill(WECHAT_TOKEN);
    await byTestId('channel-wechat-apiBaseUrl').fill(wx.url);
    await byTestId('channel-save').click();

    await byTestId('channel-saved').waitFor();
    expect(await byTestId('channel-webhook-url').inputValue()).toBe(`${base}/api/v1/hooks/${workspaceId}/wechat`);
    expect(await byTestId('channel-webhook-url').inputValue()).toContain('/hooks/default/');
    expect(await byTestId('channel-webhook-token').textContent()).toContain('Token');
    await byTestId('channel-row-wechat').waitFor();
    expect(await byTestId('channel-row-wechat').textContent()).toContain('WeChat Official Account');
    expect(await byTestId('channel-row-wechat').textContent()).toContain('stored');
    // Secrets are write-only: the form does not hold them once saved.
    expect(await byTestId('channel-wechat-appSecret').inputValue()).toBe('');
    expect(await channels()).toEqual([expect.objectContaining({ channel: 'wechat', settings: { kind: 'wechat', appId: wx.appId, apiBaseUrl: wx.url, encodingMode: 'plain' }, hasToken: true, hasWebhookSecret: true })]);

    const tokenCalls = wx.tokenCalls();
    await byTestId('channel-test-wechat').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('WeChat accepted the AppID and AppSecret (access_token valid for 7200 s)');
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('true');
    expect(wx.tokenCalls()).toBe(tokenCalls + 1);
    await screenshot(page, '30-channels-wechat-connected');
    expect(await page.content()).not.toContain(wx.appSecret);
    expect(pageErrors).toEqual([]);
  });

  e2e('a wrong AppSecret shows WeChat\'s errcode in the test result', async () => {
    await byTestId('channel-edit-wechat').click();
    expect(await byTestId('channel-wechat-appId').inputValue()).toBe(wx.appId);
    expect(await byTestId('channel-wechat-appSecret').inputValue()).toBe('');
    expect(await byTestId('channel-wechat-appSecret').getAttribute('placeholder')).toContain('stored');
    await byTestId('channel-wechat-appSecret').fill(WRONG_SECRET);
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    await byTestId('channel-test-wechat').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('errcode 40125');
    expect(await byTestId('channel-test-result').textContent()).toContain('invalid AppSecret');
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('false');
    expect(await page.content()).not.toContain(WRONG_SECRET);
    await screenshot(page, '31-channels-wechat-wrong-secret');
    // The right secret again.
    await byTestId('channel-wechat-appSecret').fill(wx.appSecret);
    await byTestId('channel-save').click();
    await byTestId('channel-test-wechat').click();
    await expect.poll(() => byTestId('channel-test-result').getAttribute('data-ok')).toBe('true');
    expect(pageErrors).toEqual([]);
  });

  e2e('a malformed AppID is a readable field error and nothing is saved', async () => {
    await byTestId('channel-new').click();
    await byTestId('channel-name').fill('wx-bad');
    await byTestId('channel-wechat-appId').fill('not-an-app-id');
    await byTestId('channel-wechat-appSecret').fill('some-secret');
    await byTestId('channel-wechat-token').fill(WECHAT_TOKEN);
    await byTestId('channel-save').click();
    await byTestId('channel-form-error').waitFor();
    const text = await byTestId('channel-field-error').first().textContent();
    expect(text).toContain('AppID');
    expect(text).toContain('must match');
    expect(text).not.toContain('[object');
    expect(await byTestId('channel-field-error').count()).toBe(1); // only the WeChat form's field, not every platform's
    expect(await byTestId('channel-saved').count()).toBe(0);
    expect((await channels()).map((c) => c.channel)).toEqual(['wechat']);
    expect(pageErrors.splice(0)).toEqual([expect.stringContaining('400')]); // the browser logs the expected 400
    await screenshot(page, '32-channels-bad-appid');
  });

  e2e('the screen reads in Chinese', async () => {
    await byTestId('language').selectOption('zh-CN');
    await expect.poll(() => byTestId('channel-test-wechat').textContent()).toBe('测试连接');
    expect(await byTestId('nav-channels').textContent()).toBe('渠道');
    expect(await byTestId('channel-row-wechat').textContent()).toContain('微信公众号');
    expect(await byTestId('channel-form-section').textContent()).toContain('开发者ID（AppID）');
    expect(await byTestId('channel-form-section').textContent()).toContain('消息加解密方式');
    await byTestId('channel-test-wechat').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('微信已接受 AppID 和 AppSecret');
    await screenshot(page, '33-channels-zh');
    await byTestId('language').selectOption('en');
    expect(pageErrors).toEqual([]);
  });

  e2e('an admin connects a WhatsApp number through Meta, sees the webhook URL and verify token, and tests it', async () => {
    // The form is a new connection since the malformed AppID's attempt.
    expect(await byTestId('channel-new').count()).toBe(0);
    await byTestId('channel-kind').selectOption('meta');
    expect(await byTestId('channel-name').inputValue()).toBe('messenger');
    // A verify token is generated for the admin to paste into Meta's console.
    expect(await byTestId('channel-meta-verifyToken').inputValue()).toMatch(/^jrny_[0-9a-f]{36}$/);
    await byTestId('channel-meta-platform').selectOption('whatsapp');
    expect(await byTestId('channel-name').inputValue()).toBe('whatsapp');
    await byTestId('channel-meta-verifyToken').fill('journeys-verify-e2e');
    await byTestId('channel-meta-appSecret').fill(fm.appSecret);
    await byTestId('channel-meta-accessToken').fill(fm.whatsappToken);
    await byTestId('channel-meta-phoneNumberId').fill(fm.phoneNumberId);
    await byTestId('channel-meta-businessAccountId').fill(fm.wabaId);
    await byTestId('channel-meta-templateLanguage').fill('en_US');
    await byTestId('channel-meta-apiBaseUrl').fill(fm.url);
    await byTestId('channel-save').click();

    await byTestId('channel-saved').waitFor();
    expect(await byTestId('channel-webhook-url').inputValue()).toBe(`${base}/api/v1/hooks/${workspaceId}/whatsapp`);
    expect(await byTestId('channel-meta-verify-token').inputValue()).toBe('journeys-verify-e2e');
    expect(await byTestId('channel-webhook-token').textContent()).toContain('messages');
    await byTestId('channel-row-whatsapp').waitFor();
    expect(await byTestId('channel-row-whatsapp').textContent()).toContain('Meta (Messenger, Instagram, WhatsApp)');
    expect(await byTestId('channel-row-whatsapp').textContent()).toContain(fm.phoneNumberId);
    expect(await byTestId('channel-meta-appSecret').inputValue()).toBe('');
    const saved = (await channels()).find((c) => c.channel === 'whatsapp')!;
    expect(saved).toMatchObject({ settings: { kind: 'meta', platform: 'whatsapp', verifyToken: 'journeys-verify-e2e', phoneNumberId: fm.phoneNumberId, businessAccountId: fm.wabaId, templateLanguage: 'en_US', apiBaseUrl: fm.url }, hasToken: true, hasWebhookSecret: true });

    // The webhook URL verifies as Meta would check it.
    const challenge = await fetch(`${base}/api/v1/hooks/${workspaceId}/whatsapp?hub.mode=subscribe&hub.verify_token=journeys-verify-e2e&hub.challenge=4242`);
    expect(await challenge.text()).toBe('4242');

    await byTestId('channel-test-whatsapp').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('Meta accepted the access token: WhatsApp number +1 555-078-3881 (Journeys Coffee)');
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('true');
    await screenshot(page, '34-channels-meta-whatsapp');
    expect(await page.content()).not.toContain(fm.appSecret);
    expect(await page.content()).not.toContain(fm.whatsappToken);
    expect(pageErrors).toEqual([]);
  });

  e2e('a wrong Meta access token shows Meta\'s code 190 and its message, also in Chinese', async () => {
    await byTestId('channel-edit-whatsapp').click();
    expect(await byTestId('channel-meta-phoneNumberId').inputValue()).toBe(fm.phoneNumberId);
    expect(await byTestId('channel-meta-accessToken').getAttribute('placeholder')).toContain('stored');
    await byTestId('channel-meta-accessToken').fill('EAAwrong0000000000000000');
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    await byTestId('channel-test-whatsapp').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('code 190');
    expect(await byTestId('channel-test-result').textContent()).toContain('Invalid OAuth access token');
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('false');
    await byTestId('language').selectOption('zh-CN');
    expect(await byTestId('channel-form-section').textContent()).toContain('电话号码 ID');
    await byTestId('channel-test-whatsapp').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('访问令牌已过期或无效');
    await screenshot(page, '35-channels-meta-wrong-token-zh');
    await byTestId('language').selectOption('en');
    expect(await page.content()).not.toContain('EAAwrong0000000000000000');
    expect(pageErrors).toEqual([]);
  });

  e2e('an admin connects an X account, sees the webhook URL to register, and tests it; a wrong token shows X\'s 401', async () => {
    await byTestId('channel-new').click();
    await byTestId('channel-kind').selectOption('x');
    expect(await byTestId('channel-name').inputValue()).toBe('x');
    await byTestId('channel-x-consumerSecret').fill(fx.consumerSecret);
    await byTestId('channel-x-accessToken').fill(fx.token);
    await byTestId('channel-x-userId').fill(fx.accountId);
    await byTestId('channel-x-plan').selectOption('pro');
    await byTestId('channel-x-apiBaseUrl').fill(fx.url);
    await byTestId('channel-save').click();

    await byTestId('channel-saved').waitFor();
    expect(await byTestId('channel-webhook-url').inputValue()).toBe(`${base}/api/v1/hooks/${workspaceId}/x`);
    expect(await byTestId('channel-webhook-token').textContent()).toContain('subscribe the account');
    await byTestId('channel-row-x').waitFor();
    expect(await byTestId('channel-row-x').textContent()).toContain('X (Twitter)');
    expect(await byTestId('channel-x-consumerSecret').inputValue()).toBe('');
    const saved = (await channels()).find((c) => c.channel === 'x')!;
    expect(saved).toEqual(expect.objectContaining({ settings: { kind: 'x', userId: fx.accountId, plan: 'pro', apiBaseUrl: fx.url }, hasToken: true, hasWebhookSecret: true }));

    // The webhook URL answers X's CRC as X checks it.
    const crc = await fx.crc(async (crcToken) => {
      const res = await fetch(`${base}/api/v1/hooks/${workspaceId}/x?crc_token=${encodeURIComponent(crcToken)}`);
      return { statusCode: res.status, body: await res.text() };
    });
    expect(crc.ok, crc.body).toBe(true);

    await byTestId('channel-test-x').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain(`X accepted the access token: @journeyscoffee (Journeys Coffee, ${fx.accountId})`);
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('true');
    await screenshot(page, '36-channels-x');

    await byTestId('channel-x-accessToken').fill('xoat-wrong-0000000000000000');
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    await byTestId('channel-test-x').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('X refused the access token (401 Unauthorized)');
    expect(await byTestId('channel-test-result').getAttribute('data-ok')).toBe('false');
    await byTestId('language').selectOption('zh-CN');
    expect(await byTestId('channel-form-section').textContent()).toContain('账号用户 ID');
    await byTestId('channel-test-x').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('X 拒绝了访问令牌');
    await byTestId('language').selectOption('en');
    expect(await page.content()).not.toContain(fx.consumerSecret);
    expect(await page.content()).not.toContain(fx.token);
  });

  e2e('an X account connected with OAuth 1.0a: the API Key brings the Access Token Secret field, and Test connection signs its call', async () => {
    await byTestId('channel-new').click();
    await byTestId('channel-kind').selectOption('x');
    await byTestId('channel-name').fill('x-oauth1');
    expect(await byTestId('channel-x-tokenSecret').count()).toBe(0);
    await byTestId('channel-x-consumerKey').fill(fx.consumerKey);
    await byTestId('channel-x-tokenSecret').waitFor();
    await byTestId('language').selectOption('zh-CN');
    expect(await byTestId('channel-form-section').textContent()).toContain('永不过期');
    await byTestId('language').selectOption('en');
    await byTestId('channel-x-consumerSecret').fill(fx.consumerSecret);
    await byTestId('channel-x-accessToken').fill(fx.oauth1Token);
    await byTestId('channel-x-tokenSecret').fill(fx.oauth1TokenSecret);
    await byTestId('channel-x-userId').fill(fx.accountId);
    await byTestId('channel-x-apiBaseUrl').fill(fx.url);
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    const saved = (await channels()).find((c) => c.channel === 'x-oauth1')!;
    expect(saved).toEqual(expect.objectContaining({ settings: { kind: 'x', userId: fx.accountId, consumerKey: fx.consumerKey, apiBaseUrl: fx.url }, hasToken: true, hasWebhookSecret: true, hasTokenSecret: true }));
    expect(await byTestId('channel-x-tokenSecret').inputValue()).toBe('');
    expect(await byTestId('channel-row-x-oauth1').textContent()).toContain('Access Token Secret · ');
    await byTestId('channel-test-x-oauth1').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain(`X accepted the access token: @journeyscoffee (Journeys Coffee, ${fx.accountId})`);
    expect(fx.requests.at(-1)!.token).toBe(fx.oauth1Token);
    expect(await page.content()).not.toContain(fx.oauth1TokenSecret);
  });

  e2e('an admin connects a Telegram bot, sees the webhook URL to give setWebhook, and tests it with getMe', async () => {
    if (await byTestId('channel-new').count()) await byTestId('channel-new').click();
    await byTestId('channel-kind').selectOption('telegram');
    expect(await byTestId('channel-name').inputValue()).toBe('telegram');
    await byTestId('channel-telegram-botUsername').fill(tg.username);
    await byTestId('channel-telegram-apiBaseUrl').fill(tg.url);
    await byTestId('channel-telegram-token').fill(tg.token);
    await byTestId('channel-telegram-secret').fill(tg.secret);
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    expect(await byTestId('channel-webhook-url').inputValue()).toBe(`${base}/api/v1/hooks/${workspaceId}/telegram`);
    await byTestId('channel-row-telegram').waitFor();
    expect(await byTestId('channel-row-telegram').textContent()).toContain(`@${tg.username}`);
    const saved = (await channels()).find((c) => c.channel === 'telegram')!;
    expect(saved).toMatchObject({ settings: { kind: 'telegram', botUsername: tg.username, apiBaseUrl: tg.url }, hasToken: true, hasWebhookSecret: true });
    await byTestId('channel-test-telegram').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain(`Telegram accepted the bot token: @${tg.username}`);
    await byTestId('language').selectOption('zh-CN');
    expect(await byTestId('channel-form-section').textContent()).toContain('机器人令牌');
    await byTestId('language').selectOption('en');
    expect(await page.content()).not.toContain(tg.token);
    expect(await page.content()).not.toContain(tg.secret);
    expect(pageErrors).toEqual([]);
  });

  e2e('an admin connects an SMS gateway and a Slack app, and Test connection shows what each answered', async () => {
    if (await byTestId('channel-new').count()) await byTestId('channel-new').click();
    await byTestId('channel-kind').selectOption('sms');
    expect(await byTestId('channel-name').inputValue()).toBe('sms');
    await byTestId('channel-sms-accountSid').fill(tw.accountSid);
    await byTestId('channel-sms-from').fill(tw.number);
    await byTestId('channel-sms-apiBaseUrl').fill(tw.url);
    await byTestId('channel-sms-token').fill(tw.authToken);
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    expect(await byTestId('channel-webhook-url').inputValue()).toBe(`${base}/api/v1/hooks/${workspaceId}/sms`);
    expect((await channels()).find((c) => c.channel === 'sms')).toMatchObject({ settings: { kind: 'sms', accountSid: tw.accountSid, from: tw.number, apiBaseUrl: tw.url }, hasToken: true });
    await byTestId('channel-test-sms').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('The SMS gateway accepted the Account SID and Auth Token');

    await byTestId('channel-new').click();
    await byTestId('channel-kind').selectOption('slack');
    expect(await byTestId('channel-name').inputValue()).toBe('slack');
    await byTestId('channel-slack-channelId').fill(sl.channelId);
    await byTestId('channel-slack-apiBaseUrl').fill(sl.url);
    await byTestId('channel-slack-token').fill(sl.token);
    await byTestId('channel-save').click();
    await byTestId('channel-saved').waitFor();
    await byTestId('channel-test-slack').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('Slack accepted the bot token');
    await byTestId('language').selectOption('zh-CN');
    await byTestId('channel-test-slack').click();
    await expect.poll(() => byTestId('channel-test-result').textContent()).toContain('Slack 已接受机器人令牌');
    await byTestId('language').selectOption('en');
    expect(await page.content()).not.toContain(tw.authToken);
    expect(await page.content()).not.toContain(sl.token);
    expect(pageErrors).toEqual([]);
  });
});
