/**
 * "Test connection" of an SMTP channel (POST /api/v1/channels/:channel/test) against the real local SMTP server
 * process the e-mail tests use (test/helpers/smtp.ts), with one user it accepts: connect, EHLO and login are ok with
 * the right password; a wrong one is a readable failure in both languages that names nodemailer's code and the
 * server's reply code, never the password; a destination the policy refuses is refused before any connection.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api';
import { allowOutbound } from '../helpers/outbound-allow';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let smtp: SmtpTestServer;
const USER = 'journeys';
const PASSWORD = 'smtp-password-0123456789';
const WRONG = 'not-the-smtp-password-987';

const connect = (channel: string, settings: Record<string, unknown>, token?: string) =>
  call(stack.app, 'PUT', `/api/v1/channels/${channel}`, { settings: { kind: 'smtp', host: '127.0.0.1', from: 'care@brand.test', ...settings }, ...(token ? { token } : {}) });
const test = (channel: string, lang = 'en') => call(stack.app, 'POST', `/api/v1/channels/${channel}/test`, undefined, { 'accept-language': lang });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  [smtp, stack] = await Promise.all([startSmtpServer({ auth: { user: USER, password: PASSWORD } }), startStack({ worker: false })]);
});
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

describe('Test connection of an SMTP channel', () => {
  it('the right user and password: ok, and nothing is sent', async () => {
    const put = await connect('mail', { port: smtp.port, user: USER }, PASSWORD);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await test('mail');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ok: true, message: `The SMTP server 127.0.0.1:${smtp.port} accepted the connection`, details: { kind: 'smtp' } });
    expect((await test('mail', 'zh-CN')).body.message).toBe(`SMTP 服务器 127.0.0.1:${smtp.port} 接受了连接`);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a wrong password: ok false with the reason and the reply code, in both languages, never the password', async () => {
    await connect('mail-wrong', { port: smtp.port, user: USER }, WRONG);
    const res = await test('mail-wrong');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: false, message: 'The SMTP server refused or could not be reached: EAUTH (535)', details: { kind: 'smtp', reason: 'EAUTH' } });
    const zh = await test('mail-wrong', 'zh-CN');
    expect(zh.body).toMatchObject({ ok: false, message: 'SMTP 服务器拒绝或无法连接：EAUTH (535)' });
    const text = JSON.stringify([res.body, zh.body]);
    for (const secret of [WRONG, PASSWORD]) expect(text).not.toContain(secret);
    // The server's own words (which may echo what it was sent) are not passed on.
    expect(text).not.toContain('Invalid username');
  });

  it('a server that is not there: a readable failure, not a hang', async () => {
    // A port nothing listens on (just freed), allow-listed as the SMTP server's is.
    const port = await freePort();
    const revoke = allowOutbound(`127.0.0.1:${port}`);
    try {
      await connect('mail-down', { port });
      const res = await test('mail-down');
      expect(res.body).toMatchObject({ ok: false, details: { kind: 'smtp', reason: 'ESOCKET' } });
      expect(res.body.message).toMatch(/^The SMTP server refused or could not be reached: ESOCKET/);
      expect((await test('mail-down', 'zh-CN')).body.message).toMatch(/^SMTP 服务器拒绝或无法连接：ESOCKET/);
    } finally {
      revoke();
    }
  });

  it('a destination the policy refuses is refused before any connection, in both languages', async () => {
    // Saved while allow-listed (the save checks it too), tested after the operator took it off the list.
    const port = await freePort();
    const revoke = allowOutbound(`127.0.0.1:${port}`);
    const put = await connect('mail-internal', { port, user: USER }, PASSWORD);
    revoke();
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const res = await test('mail-internal');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, details: { kind: 'smtp', reason: 'destination_refused' } });
    expect(res.body.message).toContain('127.0.0.1');
    const zh = await test('mail-internal', 'zh-CN');
    expect(zh.body).toMatchObject({ ok: false, details: { reason: 'destination_refused' } });
    expect(zh.body.message).toMatch(/\p{Script=Han}/u);
    expect(zh.body.message).not.toBe(res.body.message);
    expect(JSON.stringify([res.body, zh.body])).not.toContain(PASSWORD);
  });
});
