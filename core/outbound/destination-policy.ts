/**
 * The destination policy every outbound call goes through (webhook nodes, custom nodes' `http`, HTTP channels,
 * SMTP): the host is resolved once, every address it resolves to must be public unless JOURNEYS_OUTBOUND_ALLOW
 * lists it, Journeys' own service ports are refused even then, and the connection goes to the address that was
 * checked, so a DNS answer that changes between check and connect (rebinding) cannot redirect it. Redirects are
 * not followed: a 3xx is an answer like any other non-2xx.
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import os from 'node:os';
import { loadConfig, type Config } from '../config';
import {
  httpDestination, inCidr, isLocalhostName, normalizeBareHost, normalizeHost, parseAllowEntry, parseIp, refusalMessage, refusedRange, sameIp,
  type AllowEntry, type DestinationJudge, type Ip, type RefusalReason,
} from '../../workflows/model/address-ranges';

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
  readonly code = 'destination_refused';
  constructor(readonly destination: string, readonly reason: RefusalReason) {
    super(refusalMessage(destination, reason));
  }
}

export type Lookup = (host: string) => Promise<string[]>;

const systemLookup: Lookup = async (host) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface PolicyOptions {
  allow: string[];
  /** Ports of Journeys' own services, refused on loopback and on this machine's addresses. */
  servicePorts: number[];
  /** Services elsewhere (TEMPORAL_ADDRESS, MONGODB_URI hosts), refused by host:port. */
  serviceEndpoints?: { host: string; port: number }[];
  lookup?: Lookup;
  localAddresses?: string[];
}

export interface DestinationPolicy extends DestinationJudge {
  /** Resolves `host` and checks every address; the address to connect to, or a DestinationRefusedError. */
  resolve(host: string, port: number): Promise<{ address: string; family: 4 | 6 }>;
}

const ENDPOINT_CACHE_MS = 60_000;

export function createDestinationPolicy(o: PolicyOptions): DestinationPolicy {
  const lookup = o.lookup ?? systemLookup;
  const allow: AllowEntry[] = o.allow.map((e) => {
    const entry = parseAllowEntry(e);
    if (!entry) throw new Error(`JOURNEYS_OUTBOUND_ALLOW: "${e}" is not host, host:port, [ipv6]:port or a CIDR`);
    return entry;
  });
  const servicePorts = new Set(o.servicePorts);
  const self = (o.localAddresses ?? []).map(parseIp).filter((ip): ip is Ip => !!ip);
  const endpoints = (o.serviceEndpoints ?? []).map((e) => ({ ...e, host: normalizeHost(e.host), ips: [] as Ip[], at: 0 }));

  const allowed = (name: string, ip: Ip, port: number) => allow.some((e) =>
    (e.port === undefined || e.port === port)
    && ('cidr' in e ? inCidr(ip, e.cidr) : 'ip' in e ? sameIp(ip, e.ip) : e.name === name));

  const isSelf = (ip: Ip) => {
    const r = refusedRange(ip);
    return r === 'loopback' || r === 'unspecified' || self.some((s) => sameIp(s, ip));
  };

  const verdict = (name: string, ip: Ip, port: number): RefusalReason | undefined => {
    if (servicePorts.has(port) && isSelf(ip)) return 'service';
    if (endpoints.some((e) => e.port === port && (e.host === name || e.ips.some((s) => sameIp(s, ip))))) return 'service';
    const reason = refusedRange(ip);
    return reason && !allowed(name, ip, port) ? reason : undefined;
  };

  async function refreshEndpoints() {
    await Promise.all(endpoints.filter((e) => Date.now() - e.at > ENDPOINT_CACHE_MS).map(async (e) => {
      const literal = parseIp(e.host);
      e.ips = literal ? [literal] : (await lookup(e.host).catch(() => [])).map(parseIp).filter((ip): ip is Ip => !!ip);
      e.at = Date.now();
    }));
  }

  return {
    refusal(host, port) {
      const name = normalizeHost(host);
      const ip = isLocalhostName(name) ? parseIp('127.0.0.1') : parseIp(name);
      return ip ? verdict(name, ip, port) : undefined;
    },
    async resolve(host, port) {
      const name = normalizeHost(host);
      const literal = parseIp(name);
      const [addresses] = await Promise.all([literal ? [name] : lookup(name), refreshEndpoints()]);
      if (addresses.length === 0) throw Object.assign(new Error(`${name} has no address`), { code: 'ENOTFOUND' });
      for (const address of addresses) {
        const ip = parseIp(address);
        const reason = ip ? verdict(name, ip, port) : 'reserved';
        if (reason) throw new DestinationRefusedError(literal ? host : `${host} (${address})`, reason);
      }
      return { address: addresses[0], family: isIP(addresses[0]) === 6 ? 6 : 4 };
    },
  };
}

function serviceEndpoints(cfg: Config): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  const hostPort = (s: string, fallback: number, offsets = [0]) => {
    const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(s.trim());
    const port = m?.[2] ? Number(m[2]) : fallback;
    if (m?.[1]) for (const o of offsets) out.push({ host: m[1], port: port + o });
  };
  // A Temporal server's HTTP API is, by convention, on its frontend port + 10.
  if (cfg.temporalAddress) hostPort(cfg.temporalAddress.replace(/^dns:\/*/, ''), 7233, [0, 10]);
  // mongodb+srv hosts come from SRV records: only the store's own name would be known, not where it points.
  const mongo = cfg.mongoUri && /^mongodb:\/\/(?:[^@/]*@)?([^/?]+)/.exec(cfg.mongoUri);
  if (mongo) for (const h of mongo[1].split(',')) hostPort(h, 27017);
  return out;
}

export function policyFromConfig(cfg: Config): DestinationPolicy {
  return createDestinationPolicy({
    allow: cfg.outboundAllow,
    servicePorts: [cfg.port, cfg.temporalPort, cfg.temporalUiPort, cfg.temporalHttpPort, cfg.temporalMetricsPort, cfg.ferretdbPort, cfg.postgresPort],
    serviceEndpoints: serviceEndpoints(cfg),
    localAddresses: Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
  });
}

let current: { key: string; policy: DestinationPolicy } | undefined;

/** The process's policy, from the environment; rebuilt when the settings it depends on change. */
export function outboundPolicy(): DestinationPolicy {
  const cfg = loadConfig();
  const key = JSON.stringify([cfg.outboundAllow, cfg.port, cfg.temporalPort, cfg.temporalUiPort, cfg.temporalHttpPort, cfg.temporalMetricsPort, cfg.ferretdbPort, cfg.postgresPort, cfg.temporalAddress, cfg.mongoUri]);
  if (current?.key !== key) current = { key, policy: policyFromConfig(cfg) };
  return current.policy;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** How much of a 2xx body is kept; other answers keep none. */
  maxBodyChars?: number;
  /**
   * How much of a non-2xx body is kept (default none: error pages can echo secrets). For APIs whose errors are a
   * documented JSON shape the caller must read (Meta's Graph errors), and which the caller reduces to known fields.
   */
  maxErrorBodyChars?: number;
  /** Response headers the caller needs (lower-case names, e.g. X's x-rate-limit-reset); no other header is kept. */
  keepHeaders?: string[];
}

export interface OutboundResponse {
  status: number;
  statusText: string;
  ok: boolean;
  /** The (truncated) body of a 2xx answer; empty otherwise, so an error page never lands on a step. */
  body: string;
  /** The headers named in the request's `keepHeaders` that the answer had. */
  headers?: Record<string, string>;
}

/** Checks an http(s) URL's destination without connecting: where a request to it would go. */
export async function resolveHttpUrl(url: string, policy: DestinationPolicy = outboundPolicy()) {
  const dest = httpDestination(url);
  if (!dest) throw new DestinationRefusedError(url.slice(0, 200), 'not-http');
  return { ...dest, ...(await policy.resolve(dest.host, dest.port)) };
}

/** An HTTP(S) request through the policy, connected to the checked address. */
export async function outboundHttp(url: string, req: OutboundRequest, policy: DestinationPolicy = outboundPolicy()): Promise<OutboundResponse> {
  const dest = await resolveHttpUrl(url, policy);
  const { address, family } = dest;
  const u = new URL(url);
  const pinned: LookupFunction = (_host, opts, cb) => (opts.all ? cb(null, [{ address, family }]) : cb(null, address, family));
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const maxBody = req.maxBodyChars ?? 4000;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const r = (u.protocol === 'https:' ? https : http).request({
      protocol: u.protocol, hostname: dest.host, port: dest.port, path: `${u.pathname}${u.search}`, method: req.method ?? 'GET',
      auth: u.username ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : undefined,
      headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      // A fresh connection each time: a pooled one is keyed by name, and the name may now resolve elsewhere.
      agent: false, lookup: pinned, signal: AbortSignal.timeout(req.timeoutMs),
    }, (res) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const statusText = (res.statusMessage ?? '').slice(0, 100);
      const kept = req.keepHeaders?.length
        ? { headers: Object.fromEntries(req.keepHeaders.flatMap((h) => { const v = res.headers[h]; return typeof v === 'string' ? [[h, v.slice(0, 200)]] : []; })) }
        : {};
      if (!ok && !req.maxErrorBodyChars) {
        res.resume();
        res.on('end', () => resolve({ status, statusText, ok, body: '', ...kept }));
        res.on('error', reject);
        return;
      }
      let text = '';
      const limit = ok ? maxBody : req.maxErrorBodyChars!;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > limit) {
          resolve({ status, statusText, ok, body: text.slice(0, limit), ...kept });
          res.destroy();
        }
      });
      res.on('end', () => resolve({ status, statusText, ok, body: text, ...kept }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** A short reason for a failed request, for the outbox and steps: the error code, never a response body. */
export function requestFailure(err: unknown): string {
  const e = err as { code?: string; name?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return typeof e.code === 'string' ? e.code : 'network error';
}

/**
 * Where an SMTP client may connect: the checked address, with the name kept for TLS (SNI and the certificate
 * check), since nodemailer would otherwise resolve the host again by itself.
 */
export async function smtpDestination(host: string, port: number, policy: DestinationPolicy = outboundPolicy()): Promise<{ address: string; servername?: string }> {
  const name = normalizeBareHost(host);
  const { address } = await policy.resolve(name, port);
  return { address, servername: parseIp(name) ? undefined : name };
}
