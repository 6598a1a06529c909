import { describe, expect, it } from 'vitest';
import { runNode } from '../../harness';
import { responseSegment } from './manifest';
import segment from './run';

describe('response.segment', () => {
  it('adds and removes segments as one effect', async () => {
    const r = await runNode(responseSegment, segment, { config: { add: ['vip'], remove: ['trial'] }, contact: { segments: ['trial'] } });
    expect(r.effects).toEqual([{ kind: 'segments', add: ['vip'], remove: ['trial'] }]);
    expect(r.output).toEqual({ entered: ['vip'], left: ['trial'] });
  });
});
