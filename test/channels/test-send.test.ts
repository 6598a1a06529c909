/**
 * A test send from the editor: a message node's rendered texts go for real to an address the marketer types,
 * through the workspace's connected channel, marked "[Test]"; bad input names the field, a channel nobody
 * connected only records it, a refusal answers 422 in words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api';
import { startSmtpServer, type SmtpTestServer } from '../helpers/smtp';
import { eventually, startStack, type TestStack } from '../helpers/stack';

let stack: TestStack;
let smtp: SmtpTestServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startStack({ worker: false });
  expect((await call(stack.app, 'PUT', '/api/v1/channels/email', { settings: { kind: 'smtp', host: '127.0.0.1', port: smtp.port, from: 'news@brand.test' } })).status).toBe(200);
});
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

describe('POST /api/v1/test-sends', () => {
  it('sends the email to the address typed, marked as a test, through the connected SMTP server', async () => {
    const r = await call(stack.app, 'POST', '/api/v1/test-sends', { channel: 'email', to: 'me@brand.test', kind: 'email', subject: 'Welcome, Lily!', text: 'Hi Lily', html: '<p>Hi <b>Lily</b></p>' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('sent');
    const mail = await eventually(async () => smtp.to('me@brand.test')[0]);
    expect(mail.subject).toBe('[Test] Welcome, Lily!');
    expect(mail.html).toContain('<b>Lily</b>');
    // Nothing about a contact was written.
    expect(await stack.store.contacts.countDocuments({})).toBe(0);
  });

  it('a mailbox the server refuses is a 422 with its answer; bad input names the field; an unconnected channel is only recorded', async () => {
    const refused = await call(stack.app, 'POST', '/api/v1/test-sends', { channel: 'email', to: 'nobody@brand.test', kind: 'email', subject: 'x', text: 'x' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'test_send_failed', message: expect.stringContaining('User unknown') });
    const bad = await call(stack.app, 'POST', '/api/v1/test-sends', { channel: 'email', to: 'me@brand.test', kind: 'fax', text: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('kind');
    const recorded = await call(stack.app, 'POST', '/api/v1/test-sends', { channel: 'weibo', to: '@me', kind: 'dm', text: 'hello' });
    expect(recorded.body).toMatchObject({ status: 'recorded' });
  });
});
