/**
 * A small fake social platform on 127.0.0.1 for channels we cannot reach from tests: it records every request and
 * answers like a platform API (POST /replies, POST /messages → {"id": …}; GET /users/:handle → a profile).
 * `failNext(n, status)` makes the next n requests fail, for retry tests. Its host:port is allow-listed while it runs.
 */
import http from 'node:http';
import { allowOutbound } from './outbound-allow';

export interface PlatformRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: string;
}

export interface FakePlatform {
  url: string;
  requests: PlatformRequest[];
  sent(kind?: 'reply' | 'dm'): PlatformRequest[];
  failNext(n: number, status?: number): void;
  profiles: Record<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startFakePlatform(): Promise<FakePlatform> {
  const requests: PlatformRequest[] = [];
  const profiles: Record<string, Record<string, unknown>> = {};
  let failures = 0;
  let failStatus = 503;
  let seq = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text
      }
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, raw });
      const json = (status: number, data: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
      if (failures > 0) {
        failures--;
        return json(failStatus, { error: 'temporarily unavailable' });
      }
      const user = /^\/users\/([^/]+)$/.exec(path);
      if (req.method === 'GET' && user) {
        const handle = decodeURIComponent(user[1]);
        return profiles[handle] ? json(200, profiles[handle]) : json(404, { error: 'no such user' });
      }
      if (req.method === 'POST') return json(201, { id: `p-${++seq}`, ok: true });
      return json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const revoke = allowOutbound(`127.0.0.1:${port}`);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    profiles,
    sent: (kind) => requests.filter((r) => r.method === 'POST' && (!kind || (r.body as { kind?: string })?.kind === kind)),
    failNext(n, status = 503) {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise<void>((r) => {
      revoke();
      server.close(() => r());
    }),
  };
}
