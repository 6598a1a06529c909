import { describe, expect, it } from 'vitest';
import { createManifestRegistry } from '../../nodes/catalog';
import { httpDestination, literalRefusal, parseAllowEntry, parseIp, refusedRange } from './address-ranges';
import { validateJourney } from './validate-journey';

const range = (ip: string) => refusedRange(parseIp(ip)!);

describe('refused address ranges', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['::', 'unspecified'],
    ['169.254.169.254', 'metadata'], ['100.100.100.200', 'metadata'], ['fd00:ec2::254', 'metadata'],
    ['169.254.1.1', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.0.1', 'private'],
    ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'shared'], ['100.127.255.255', 'shared'],
    ['224.0.0.1', 'multicast'], ['239.255.255.250', 'multicast'], ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'], ['255.255.255.255', 'reserved'], ['192.0.2.1', 'reserved'], ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'], ['::127.0.0.1', 'reserved'], ['100::1', 'reserved'],
  ])('%s is %s', (ip, reason) => {
    expect(range(ip)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])(
    '%s is public',
    (ip) => expect(range(ip)).toBeUndefined(),
  );

  it('sees the IPv4 address inside IPv4-mapped, NAT64 and 6to4 IPv6 addresses', () => {
    expect(range('::ffff:127.0.0.1')).toBe('loopback');
    expect(range('::ffff:7f00:1')).toBe('loopback');
    expect(range('0:0:0:0:0:ffff:a9fe:a9fe')).toBe('metadata');
    expect(range('64:ff9b::7f00:1')).toBe('loopback');
    expect(range('2002:c0a8:0101::1')).toBe('private');
  });

  it('catches numeric forms of 127.0.0.1 in URLs, as WHATWG URL normalises them', () => {
    for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://017700000001/', 'http://%31%32%37.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/']) {
      const dest = httpDestination(url);
      expect(dest, url).toBeDefined();
      expect(literalRefusal(dest!.host), url).toBe('loopback');
    }
    expect(literalRefusal(httpDestination('http://LOCALHOST.:3000/')!.host)).toBe('loopback');
    expect(literalRefusal(httpDestination('http://api.localhost/')!.host)).toBe('loopback');
    expect(httpDestination('http://[::1]:8233/x')).toEqual({ host: '::1', port: 8233 });
    expect(httpDestination('https://sms.example.com/send')).toEqual({ host: 'sms.example.com', port: 443 });
    expect(literalRefusal('sms.example.com')).toBeUndefined();
  });

  it('leaves non-http URLs and templated hosts to the runtime check', () => {
    expect(httpDestination('file:///etc/passwd')).toBeUndefined();
    expect(httpDestination('http://{{contact.profile.host}}/x')).toBeUndefined();
    expect(httpDestination('not a url')).toBeUndefined();
  });

  it('parses allow-list entries: host, host:port, [v6]:port, bare IPv6 and CIDR', () => {
    expect(parseAllowEntry('127.0.0.1:4010')).toEqual({ ip: parseIp('127.0.0.1'), port: 4010 });
    expect(parseAllowEntry('10.0.0.0/8')).toEqual({ cidr: { ip: parseIp('10.0.0.0'), prefix: 8 } });
    expect(parseAllowEntry('[::1]:8080')).toEqual({ ip: parseIp('::1'), port: 8080 });
    expect(parseAllowEntry('fd00::/8')).toEqual({ cidr: { ip: parseIp('fd00::'), prefix: 8 } });
    expect(parseAllowEntry('SMS.internal:8443')).toEqual({ name: 'sms.internal', port: 8443 });
    expect(parseAllowEntry('0x7f000001:80')).toEqual({ ip: parseIp('127.0.0.1'), port: 80 });
    for (const bad of ['10.0.0.0/33', 'host:0', 'host:70000', 'a b', 'x:1:2', '', '10.0.0.1/8/2']) expect(parseAllowEntry(bad), bad).toBeUndefined();
  });
});

describe('graph validation of webhook destinations', () => {
  const registry = createManifestRegistry();
  const journey = (url: string, version = 1) => ({
    nodes: [
      { id: 'start', type: 'trigger.event', version: 1, config: { eventTypes: ['order.paid'] } },
      { id: 'hook', type: 'response.webhook', version, config: { url, method: 'POST' } },
    ],
    edges: [{ from: 'start', port: 'next', to: 'hook' }],
  });
  const issue = (doc: unknown, judge?: Parameters<typeof validateJourney>[2]) =>
    validateJourney(doc, registry, judge).find((i) => i.code === 'destination_refused');

  it('warns in the editor (no allow-list known) and names the node and field', () => {
    expect(issue(journey('http://169.254.169.254/latest/meta-data'))).toMatchObject({ severity: 'warning', nodeId: 'hook', path: '/config/url' });
    expect(issue(journey('http://0x7f000001:8233/api/v1/namespaces'))?.i18n?.['zh-CN']).toContain('回环地址');
    expect(issue(journey('https://hooks.example.com/x'))).toBeUndefined();
    expect(issue(journey('http://{{contact.profile.gateway}}/send', 2))).toBeUndefined();
  });

  it('is an error where the server judges it, and passes what the judge allows', () => {
    const judge = { refusal: (host: string, port: number) => (host === '127.0.0.1' && port === 4010 ? undefined : literalRefusal(host)) };
    expect(issue(journey('http://127.0.0.1:4010/hook'), judge)).toBeUndefined();
    expect(issue(journey('http://127.0.0.1:4011/hook'), judge)).toMatchObject({ severity: 'error', path: '/config/url' });
    expect(issue(journey('http://[::1]/hook', 2), judge)).toMatchObject({ severity: 'error', nodeId: 'hook' });
  });
});
