import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowOutbound } from '../../test/helpers/outbound-allow';
import { httpSend } from '../channels/http-adapter';
import { loadConfig } from '../config';
import {
  createDestinationPolicy, DestinationRefusedError, outboundHttp, outboundPolicy, policyFromConfig, smtpDestination, type PolicyOptions,
} from './destination-policy';

/** A policy over a fake DNS, so names can resolve anywhere (and change their answer) without a resolver. */
function policy(o: Partial<PolicyOptions> & { dns?: Record<string, string[]> } = {}) {
  const dns = { 'public.test': ['93.184.215.14'], 'inside.test': ['10.1.2.3'], 'mixed.test': ['93.184.215.14', '127.0.0.1'], ...o.dns };
  return createDestinationPolicy({
    allow: [], servicePorts: [3000, 7233, 7243, 8233, 27017, 5433], localAddresses: ['192.168.7.7'],
    lookup: async (host) => dns[host as keyof typeof dns] ?? Promise.reject(Object.assign(new Error(`no ${host}`), { code: 'ENOTFOUND' })),
    ...o,
  });
}

const refusal = (p: ReturnType<typeof policy>, host: string, port = 80) =>
  p.resolve(host, port).then(() => undefined, (err) => (err instanceof DestinationRefusedError ? err.reason : Promise.reject(err)));

describe('destination policy', () => {
  it('refuses names that resolve to a refused address, any one of them', async () => {
    const p = policy();
    expect(await p.resolve('public.test', 443)).toEqual({ address: '93.184.215.14', family: 4 });
    expect(await refusal(p, 'inside.test')).toBe('private');
    expect(await refusal(p, 'mixed.test')).toBe('loopback');
    expect(await refusal(p, '169.254.169.254')).toBe('metadata');
    expect(await refusal(p, '::ffff:127.0.0.1')).toBe('loopback');
    expect(await refusal(p, '[::1]')).toBe('loopback');
    expect(await refusal(policy({ dns: { 'v6.test': ['fe80::1'] } }), 'v6.test')).toBe('link-local');
  });

  it('lets the allow-list open a host:port, a CIDR or a name, and nothing more', async () => {
    const p = policy({ allow: ['127.0.0.1:4010', '10.0.0.0/8', 'mixed.test:8080', '[::1]:9000'] });
    expect(await refusal(p, '127.0.0.1', 4010)).toBeUndefined();
    expect(await refusal(p, '127.0.0.1', 4011)).toBe('loopback');
    expect(await refusal(p, 'inside.test', 1234)).toBeUndefined();
    expect(await refusal(p, '172.16.0.1')).toBe('private');
    expect(await refusal(p, 'mixed.test', 8080)).toBeUndefined();
    expect(await refusal(p, 'mixed.test', 8081)).toBe('loopback');
    expect(await refusal(p, '::1', 9000)).toBeUndefined();
    expect(await refusal(p, '::ffff:127.0.0.1', 4010)).toBeUndefined();
  });

  it('refuses Journeys\' own service ports even when allow-listed', async () => {
    const p = policy({ allow: ['127.0.0.0/8', '::1', '192.168.0.0/16', 'localhost'], serviceEndpoints: [{ host: 'temporal.internal', port: 7233 }], dns: { 'temporal.internal': ['10.9.9.9'], 'alias.test': ['10.9.9.9'] } });
    for (const port of [3000, 7233, 7243, 8233, 27017, 5433]) {
      expect(await refusal(p, '127.0.0.1', port), `127.0.0.1:${port}`).toBe('service');
      expect(await refusal(p, '::1', port), `[::1]:${port}`).toBe('service');
      expect(await refusal(p, '0.0.0.0', port)).toBe('service');
      expect(p.refusal('localhost', port)).toBe('service');
    }
    // This machine's own address reaches the same listeners.
    expect(await refusal(p, '192.168.7.7', 3000)).toBe('service');
    expect(await refusal(p, '192.168.7.8', 3000)).toBeUndefined();
    // An external service is refused by name and by any name resolving to it.
    expect(await refusal(p, 'temporal.internal', 7233)).toBe('service');
    expect(await refusal(policy({ allow: ['10.0.0.0/8'], serviceEndpoints: [{ host: 'temporal.internal', port: 7233 }], dns: { 'temporal.internal': ['10.9.9.9'], 'alias.test': ['10.9.9.9'] } }), 'alias.test', 7233)).toBe('service');
    expect(await refusal(p, '127.0.0.1', 4010)).toBeUndefined();
  });

  it('judges literal hosts without DNS, for validation at save', () => {
    const p = policy({ allow: ['127.0.0.1:4010'] });
    expect(p.refusal('127.0.0.1', 4010)).toBeUndefined();
    expect(p.refusal('127.0.0.1', 80)).toBe('loopback');
    expect(p.refusal('localhost', 80)).toBe('loopback');
    expect(p.refusal('10.0.0.1', 80)).toBe('private');
    expect(p.refusal('127.0.0.1', 7233)).toBe('service');
    expect(p.refusal('inside.test', 80)).toBeUndefined(); // names wait for the runtime check
  });

  it('is built from the configuration: allow-list, the API and the services\' ports, external endpoints', async () => {
    const cfg = loadConfig({ JOURNEYS_OUTBOUND_ALLOW: '127.0.0.1, 10.0.0.0/8', PORT: '3900', TEMPORAL_ADDRESS: '10.5.5.5:7400', MONGODB_URI: 'mongodb://u:p@10.6.6.6:27100,10.6.6.7/db?x=1' });
    expect(cfg.outboundAllow).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect([cfg.temporalHttpPort, cfg.temporalMetricsPort, cfg.temporalUi]).toEqual([7243, 7244, false]);
    const p = policyFromConfig(cfg);
    expect(await refusal(p, '127.0.0.1', 4010)).toBeUndefined();
    for (const port of [3900, 7233, 7243, 7244, 8233, 27017, 5433]) expect(await refusal(p, '127.0.0.1', port), String(port)).toBe('service');
    expect(await refusal(p, '10.5.5.5', 7400)).toBe('service');
    expect(await refusal(p, '10.5.5.5', 7410)).toBe('service');
    expect(await refusal(p, '10.6.6.6', 27100)).toBe('service');
    expect(await refusal(p, '10.6.6.7', 27017)).toBe('service');
    expect(await refusal(p, '10.5.5.5', 80)).toBeUndefined();
    expect(loadConfig({ TEMPORAL_PORT: '27301', TEMPORAL_UI: 'on' })).toMatchObject({ temporalHttpPort: 27311, temporalMetricsPort: 27312, temporalUi: true });
    expect(() => loadConfig({ JOURNEYS_OUTBOUND_ALLOW: '10.0.0.0/40' })).toThrow(/JOURNEYS_OUTBOUND_ALLOW/);
  });

  it('follows JOURNEYS_OUTBOUND_ALLOW as it changes (the process policy is rebuilt, not frozen at first use)', async () => {
    const before = process.env.JOURNEYS_OUTBOUND_ALLOW;
    try {
      delete process.env.JOURNEYS_OUTBOUND_ALLOW;
      expect(outboundPolicy().refusal('127.0.0.1', 4010)).toBe('loopback');
      process.env.JOURNEYS_OUTBOUND_ALLOW = '127.0.0.1:4010';
      expect(outboundPolicy().refusal('127.0.0.1', 4010)).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.JOURNEYS_OUTBOUND_ALLOW;
      else process.env.JOURNEYS_OUTBOUND_ALLOW = before;
    }
  });

  it('gives SMTP the checked address and keeps the name for TLS', async () => {
    const p = policy({ dns: { 'mail.test': ['93.184.215.20'] } });
    expect(await smtpDestination('mail.test', 587, p)).toEqual({ address: '93.184.215.20', servername: 'mail.test' });
    expect(await smtpDestination('93.184.215.21', 25, p)).toEqual({ address: '93.184.215.21', servername: undefined });
    await expect(smtpDestination('0x7f000001', 25, p)).rejects.toMatchObject({ code: 'destination_refused', reason: 'loopback' });
    await expect(smtpDestination('inside.test', 25, p)).rejects.toBeInstanceOf(DestinationRefusedError);
  });
});

describe('outboundHttp', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url} host=${req.headers.host}`);
      if (req.url === '/redirect') return res.writeHead(302, { location: `http://127.0.0.1:${port}/after-redirect` }).end();
      if (req.url === '/error') return res.writeHead(500, 'Internal Oops').end('stack trace with token=sekret');
      req.resume();
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"m-1"}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('connects to the address it checked, not to a second DNS answer', async () => {
    // rebind.test answers 127.0.0.1 to the check; a second lookup (the system resolver) would not know it at all.
    const p = policy({ allow: [`127.0.0.1:${port}`], dns: { 'rebind.test': ['127.0.0.1'] } });
    const res = await outboundHttp(`http://rebind.test:${port}/send`, { method: 'POST', body: '{}', timeoutMs: 5000 }, p);
    expect(res).toEqual({ status: 201, statusText: 'Created', ok: true, body: '{"id":"m-1"}' });
    expect(hits.at(-1)).toBe(`POST /send host=rebind.test:${port}`);
  });

  it('refuses before connecting: the server hears nothing', async () => {
    const n = hits.length;
    await expect(outboundHttp(`http://127.0.0.1:${port}/send`, { timeoutMs: 5000 }, policy())).rejects.toMatchObject({ code: 'destination_refused', reason: 'loopback' });
    await expect(outboundHttp(`http://0x7f000001:${port}/send`, { timeoutMs: 5000 }, policy())).rejects.toMatchObject({ reason: 'loopback' });
    await expect(outboundHttp('file:///etc/passwd', { timeoutMs: 5000 }, policy())).rejects.toMatchObject({ reason: 'not-http' });
    expect(hits.length).toBe(n);
  });

  it('gives an HTTP channel\'s failed send its status, not the platform\'s error page', async () => {
    const revoke = allowOutbound(`127.0.0.1:${port}`);
    try {
      const send = httpSend({ kind: 'http', baseUrl: `http://127.0.0.1:${port}`, replyPath: '/error' }, 'tok', { channel: 'weibo', to: '@a', kind: 'reply', text: 'hi' }, 'k-1');
      await expect(send).rejects.toThrow(/^weibo answered 500 Internal Oops$/);
    } finally {
      revoke();
    }
    await expect(httpSend({ kind: 'http', baseUrl: `http://127.0.0.1:${port}` }, undefined, { channel: 'weibo', to: '@a', kind: 'dm', text: 'hi' }, 'k-2'))
      .rejects.toBeInstanceOf(DestinationRefusedError);
  });

  it('does not follow redirects and keeps no body of a failed answer', async () => {
    const p = policy({ allow: [`127.0.0.1:${port}`] });
    const redirected = await outboundHttp(`http://127.0.0.1:${port}/redirect`, { timeoutMs: 5000 }, p);
    expect(redirected).toEqual({ status: 302, statusText: 'Found', ok: false, body: '' });
    expect(hits.some((h) => h.includes('/after-redirect'))).toBe(false);
    expect(await outboundHttp(`http://127.0.0.1:${port}/error`, { timeoutMs: 5000 }, p)).toEqual({ status: 500, statusText: 'Internal Oops', ok: false, body: '' });
  });
});
