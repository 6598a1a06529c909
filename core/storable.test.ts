import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { assertStorableEvents, jsonNestsDeeperThan, LIMITS, parseJsonBody, storableProblem } from './storable';

const nest = (depth: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

describe('storableProblem: what the store cannot hold, named by path', () => {
  it('finds NUL characters in strings and field names, and unstorable field names', () => {
    expect(storableProblem({ profile: { name: 'Li\u0000ly' } })).toMatchObject({ path: '/profile/name', code: 'nul_character', message: expect.stringContaining('contains a NUL character') });
    expect(storableProblem({ tags: ['ok', 'b\u0000d'] })).toMatchObject({ path: '/tags/1', code: 'nul_character' });
    expect(storableProblem({ data: { 'a\u0000b': 1 } })).toMatchObject({ path: '/data/a\\u0000b', code: 'unstorable_key' });
    expect(storableProblem({ data: { $where: 1 } })).toMatchObject({ path: '/data/$where', code: 'unstorable_key' });
    expect(storableProblem({ data: [{ 'a.b': 1 }] })).toMatchObject({ path: '/data/0/a.b', code: 'unstorable_key' });
    expect(storableProblem({ data: { '': 1 } })).toMatchObject({ path: '/data/', code: 'unstorable_key' });
    // The embedded store refuses arrays directly inside arrays (seen by the fuzz run: a config `{"x": [[]]}` was a 500).
    expect(storableProblem({ config: { x: [1, []] } })).toMatchObject({ path: '/config/x/1', code: 'nested_array', i18n: { 'zh-CN': expect.stringContaining('列表中的列表') } });
    expect(storableProblem({ rows: [{ cells: [1, 2] }] })).toBeUndefined();
    expect(storableProblem({ text: 'emoji 😀, 中文, $dollar, a.b as values are fine' })).toBeUndefined();
  });

  it('bounds depth without recursion, size and field count; each message in English and Chinese', () => {
    expect(storableProblem(nest(32))).toBeUndefined();
    const deep = storableProblem(nest(33));
    expect(deep).toMatchObject({ code: 'too_deep', message: 'nests deeper than 32 levels', i18n: { 'zh-CN': '嵌套超过 32 层' } });
    expect(deep!.path).toBe(`/${Array(32).fill('a').join('/')}`);
    expect(storableProblem(nest(100_000))).toMatchObject({ code: 'too_deep' }); // no stack overflow
    expect(storableProblem({ text: 'x'.repeat(300 * 1024) }, LIMITS.event)).toMatchObject({ path: '/', code: 'too_large', message: 'is larger than 256 KiB (301 KiB)' });
    const many = Object.fromEntries(Array.from({ length: 2_001 }, (_, i) => [`k${i}`, i]));
    expect(storableProblem({ data: many }, LIMITS.event, '/events/3')).toMatchObject({ path: '/events/3', code: 'too_many_keys' });
  });

  it('checks each event of a batch as its own document', () => {
    const ok = { id: 'e', type: 'a.b', data: { x: 'y'.repeat(200 * 1024) } };
    expect(() => assertStorableEvents({ events: [ok, ok, ok] })).not.toThrow(); // 600 KiB in all, each under 256 KiB
    const err = (() => { try { assertStorableEvents({ events: [ok, { ...ok, data: { $set: 1 } }] }); } catch (e) { return e as AppError; } })();
    expect(err).toBeInstanceOf(AppError);
    expect(err!.message).toBe('body/events/1/data/$set is not a storable field name (empty, starting with "$", or containing "." or a NUL character)');
    expect(err!.text('zh-CN')).toContain('body/events/1/data/$set 不是可保存的字段名');
  });
});

describe('JSON nesting is refused before JSON.parse', () => {
  it('counts only brackets outside strings', () => {
    expect(jsonNestsDeeperThan('{"a":[[[1]]]}', 4)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":[[[[1]]]]}', 4)).toBe(true);
    expect(jsonNestsDeeperThan(JSON.stringify({ s: '[[[[[[[[{{{{{{"\\"[[[[' }), 2)).toBe(false);
  });

  it('answers 100,000-deep input at once', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    const started = Date.now();
    expect(() => parseJsonBody(text)).toThrow(/body nests deeper than 32 levels/);
    expect(Date.now() - started).toBeLessThan(500);
    expect(() => parseJsonBody('{"a":')).toThrow(/body is not valid JSON/);
  });
});
