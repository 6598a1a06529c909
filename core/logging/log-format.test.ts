import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logDestination, logFormat } from './log-format';

describe('log format', () => {
  it('is readable on a terminal and JSON elsewhere, unless JOURNEYS_LOG_FORMAT says', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ JOURNEYS_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ JOURNEYS_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logDestination('json')).toBeUndefined();
  });

  it('turns a JSON log line into one readable line', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    const stream = logDestination('pretty', out)!;
    stream.write(`${JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 2, 3, 4, 5), pid: 1, hostname: 'h', msg: 'Server listening at http://127.0.0.1:3000' })}\n`);
    await new Promise((r) => setTimeout(r, 50));
    const line = chunks.join('');
    expect(line).toContain('INFO');
    expect(line).toContain('Server listening at http://127.0.0.1:3000');
    expect(line).not.toContain('"level"');
    expect(line).not.toContain('hostname');
  });
});
