import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RESOURCE_NAMES } from './error-codes';
import { AppError, badRequest, notFound } from './errors';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CJK = /[\u4e00-\u9fff]/;

describe('the error catalog', () => {
  it.each(Object.entries(ERROR_CODES))('%s has a status and a message in both languages with the same parameters', (_code, spec) => {
    expect(spec.status).toBeGreaterThanOrEqual(400);
    expect(spec.status).toBeLessThan(600);
    expect(placeholders(spec['zh-CN'])).toEqual(placeholders(spec.en));
    // A message that is more than its parameters is translated, not copied.
    if (/[a-z]/i.test(spec.en.replace(/\{\w+\}/g, ''))) expect(spec['zh-CN']).toMatch(CJK);
  });

  it('names every resource in both languages', () => {
    for (const [en, zh] of Object.values(RESOURCE_NAMES)) {
      expect(en).not.toMatch(CJK);
      expect(zh).toMatch(CJK);
    }
  });
});

describe('AppError', () => {
  it('takes its status from the catalog and fills parameters, texts in both languages included', () => {
    const e = new AppError('bad_signature', { field: 'headers/x', problem: { en: 'is wrong', 'zh-CN': '不正确' }, channel: { en: 'channel "a"', 'zh-CN': '渠道“a”' } });
    expect(e.status).toBe(401);
    expect(e.message).toBe('headers/x is wrong (channel "a")');
    expect(e.text('zh-CN')).toBe('headers/x 不正确（渠道“a”）');
    expect(e.plainParams('zh-CN')).toEqual({ field: 'headers/x', problem: '不正确', channel: '渠道“a”' });
  });

  it('leaves a placeholder without a parameter visible instead of inventing a value', () => {
    expect(new AppError('forbidden', { role: 'viewer' }).message).toBe('role "viewer" may not do this (needs "{permission}")');
  });

  it('says what was not found, with its id, in the reader\'s language', () => {
    expect(notFound('journey').message).toBe('journey not found');
    expect(notFound('ticket', 't-1').text('zh-CN')).toBe('未找到工单 t-1');
    expect(notFound('ticket', 't-1').status).toBe(404);
  });

  it('a bad request names each field in both languages and keeps the fields as details', () => {
    const e = badRequest([{ path: '/name', message: 'is required', i18n: { en: 'is required', 'zh-CN': '为必填项' } }, { path: '/', message: 'is odd' }]);
    expect(e.status).toBe(400);
    expect(e.message).toBe('body/name is required; body is odd');
    expect(e.text('zh-CN')).toBe('body/name 为必填项; body is odd');
    expect(e.details.fields?.map((f) => f.field)).toEqual(['body/name', 'body']);
  });
});
