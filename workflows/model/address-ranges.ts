/**
 * Which addresses an outbound call must never reach without an operator's say-so: loopback, private, link-local,
 * metadata, multicast and reserved ranges (IANA special-purpose registries), IPv4-mapped and NAT64/6to4 forms of
 * them included. Pure (no Node imports): graph validation in the editor uses it, and so does the server's
 * destination policy (core/outbound/destination-policy.ts), which adds DNS, the allow-list and service ports.
 */
import type { LocalizedText } from '../../nodes/contract';
import { inBothLanguages } from '../../nodes/field-messages';

export type RefusalReason =
  | 'loopback' | 'unspecified' | 'link-local' | 'private' | 'shared' | 'metadata' | 'multicast' | 'reserved'
  | 'service' | 'not-http';

const REASONS: Record<RefusalReason, { en: string; zh: string }> = {
  loopback: { en: 'a loopback address', zh: '回环地址' },
  unspecified: { en: 'an unspecified address', zh: '未指定地址' },
  'link-local': { en: 'a link-local address', zh: '链路本地地址' },
  private: { en: 'a private network address', zh: '私有网络地址' },
  shared: { en: 'a carrier-grade NAT address', zh: '运营商级 NAT 地址' },
  metadata: { en: 'a cloud metadata address', zh: '云元数据地址' },
  multicast: { en: 'a multicast address', zh: '组播地址' },
  reserved: { en: 'a reserved address', zh: '保留地址' },
  service: { en: 'one of Journeys\' own service ports', zh: 'Journeys 自身的服务端口' },
  'not-http': { en: 'not an http(s) URL', zh: '不是 http(s) 地址' },
};

/** Why a destination is refused, in both UI languages (validation issues and 400s carry it as `i18n`). */
export function refusalText(destination: string, reason: RefusalReason): LocalizedText {
  const r = REASONS[reason];
  const operator = reason !== 'service' && reason !== 'not-http';
  return {
    en: `destination refused: ${destination} is ${r.en}${operator ? '; an operator can allow it with JOURNEYS_OUTBOUND_ALLOW' : ''}`,
    'zh-CN': `目标地址被拒绝：${destination} 是${r.zh}${operator ? '；运维人员可通过 JOURNEYS_OUTBOUND_ALLOW 放行' : ''}`,
  };
}

/** The refusal in both languages, in one line: the message of the step's error. */
export function refusalMessage(destination: string, reason: RefusalReason): string {
  return inBothLanguages(refusalText(destination, reason));
}

export interface Ip {
  version: 4 | 6;
  bytes: number[];
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function parseIPv6(text: string): number[] | undefined {
  let s = text.split('%')[0]; // a zone id (fe80::1%eth0) does not change the range
  const tail = s.slice(s.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail);
    if (!v4) return undefined;
    s = `${s.slice(0, s.length - tail.length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

/** An IP literal (dotted IPv4, or IPv6 with or without brackets); IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): Ip | undefined {
  const s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIPv4(s);
  if (v4) return { version: 4, bytes: v4 };
  const v6 = s.includes(':') ? parseIPv6(s) : undefined;
  if (!v6) return undefined;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { version: 4, bytes: v6.slice(12) } : { version: 6, bytes: v6 };
}

export interface Cidr {
  ip: Ip;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, bits, extra] = text.split('/');
  const ip = parseIp(addr);
  if (!ip || extra !== undefined || !/^\d{1,3}$/.test(bits ?? '')) return undefined;
  const prefix = Number(bits);
  return prefix <= ip.bytes.length * 8 ? { ip, prefix } : undefined;
}

export function inCidr(ip: Ip, { ip: net, prefix }: Cidr): boolean {
  if (ip.version !== net.version) return false;
  for (let bit = 0; bit < prefix; bit += 8) {
    const mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
    if ((ip.bytes[bit / 8] & mask) !== (net.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

export function sameIp(a: Ip, b: Ip): boolean {
  return a.version === b.version && a.bytes.every((x, i) => x === b.bytes[i]);
}

const table = (rows: [string, RefusalReason][]) => rows.map(([cidr, reason]) => ({ cidr: parseCidr(cidr)!, reason }));

// Most specific first: the first match names the reason.
const V4 = table([
  ['169.254.169.254/32', 'metadata'], ['169.254.170.2/32', 'metadata'], ['100.100.100.200/32', 'metadata'],
  ['0.0.0.0/8', 'unspecified'], ['127.0.0.0/8', 'loopback'], ['169.254.0.0/16', 'link-local'],
  ['10.0.0.0/8', 'private'], ['172.16.0.0/12', 'private'], ['192.168.0.0/16', 'private'], ['100.64.0.0/10', 'shared'],
  ['192.0.0.0/24', 'reserved'], ['192.0.2.0/24', 'reserved'], ['192.88.99.0/24', 'reserved'], ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'reserved'], ['203.0.113.0/24', 'reserved'], ['224.0.0.0/4', 'multicast'], ['240.0.0.0/4', 'reserved'],
]);
const V6 = table([
  ['fd00:ec2::254/128', 'metadata'], ['::/128', 'unspecified'], ['::1/128', 'loopback'], ['fe80::/10', 'link-local'],
  ['fc00::/7', 'private'], ['fec0::/10', 'private'], ['ff00::/8', 'multicast'], ['2001::/23', 'reserved'], ['2001:db8::/32', 'reserved'],
]);
const GLOBAL_UNICAST = parseCidr('2000::/3')!;
// IPv6 forms that carry an IPv4 address the packet ends up at: NAT64 (bytes 12..15) and 6to4 (bytes 2..5).
const EMBEDDING = [{ cidr: parseCidr('64:ff9b::/96')!, at: 12 }, { cidr: parseCidr('2002::/16')!, at: 2 }];

/** Why this address is refused by default, or undefined for a public unicast address. */
export function refusedRange(ip: Ip): RefusalReason | undefined {
  if (ip.version === 4) return V4.find((r) => inCidr(ip, r.cidr))?.reason;
  const embedded = EMBEDDING.find((e) => inCidr(ip, e.cidr));
  if (embedded) return refusedRange({ version: 4, bytes: ip.bytes.slice(embedded.at, embedded.at + 4) });
  return V6.find((r) => inCidr(ip, r.cidr))?.reason ?? (inCidr(ip, GLOBAL_UNICAST) ? undefined : 'reserved');
}

/** A host name as URL.hostname gives it, lowercased, without brackets or a trailing dot. */
export function normalizeHost(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** `localhost` names (RFC 6761) resolve to loopback without asking DNS. */
export function isLocalhostName(host: string): boolean {
  const h = normalizeHost(host);
  return h === 'localhost' || h.endsWith('.localhost');
}

/** What is certain without DNS: an IP literal in a refused range, or a localhost name. */
export function literalRefusal(host: string): RefusalReason | undefined {
  if (isLocalhostName(host)) return 'loopback';
  const ip = parseIp(normalizeHost(host));
  return ip ? refusedRange(ip) : undefined;
}

/**
 * Host and port of an http(s) URL, as WHATWG URL normalises them (0x7f000001, 2130706433, 0177.0.0.1 → 127.0.0.1).
 * Undefined when it is not an http(s) URL or the host is still a template (`{{…}}`), to be judged once rendered.
 */
export function httpDestination(url: string): { host: string; port: number } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname || /[{}]|%7b|%7d/i.test(u.hostname)) return undefined;
  return { host: normalizeHost(u.hostname), port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
}

/** A bare host (an SMTP server's) normalised as the host of a URL is. */
export function normalizeBareHost(host: string): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return httpDestination(`http://${h}/`)?.host ?? normalizeHost(host);
}

/** One JOURNEYS_OUTBOUND_ALLOW entry: `host`, `host:port`, `[v6]:port`, a bare IPv6 address, or a CIDR. */
export type AllowEntry = { cidr: Cidr; port?: undefined } | { ip: Ip; port?: number } | { name: string; port?: number };

export function parseAllowEntry(text: string): AllowEntry | undefined {
  const s = text.trim();
  if (s.includes('/')) {
    const cidr = parseCidr(s);
    return cidr ? { cidr } : undefined;
  }
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  const hostPort = bracketed ? undefined : /^([^:]+)(?::(\d{1,5}))?$/.exec(s);
  const bare = !bracketed && !hostPort ? parseIp(s) : undefined;
  if (bare) return { ip: bare };
  const [host, portText] = bracketed ? [bracketed[1], bracketed[2]] : hostPort ? [hostPort[1], hostPort[2]] : [];
  if (host === undefined) return undefined;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  // Through URL, so numeric forms and case normalise exactly as they do for the URLs being checked.
  const dest = httpDestination(`http://${bracketed ? `[${host}]` : host}/`);
  if (!dest) return undefined;
  const ip = parseIp(dest.host);
  return ip ? { ip, port } : { name: dest.host, port };
}

/** How the server judges a literal destination with its allow-list and service ports (the editor has none). */
export interface DestinationJudge {
  refusal(host: string, port: number): RefusalReason | undefined;
}
