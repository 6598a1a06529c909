// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import type { ConditionGroup } from '../../../../nodes/conditions';
import { useLanguage } from '../../i18n/language-store';
import { RuleBuilder } from './RuleBuilder';

afterEach(() => { cleanup(); useLanguage.getState().setLang('en'); });

/** A controlled host that records every value the builder reports. */
function Host({ initial, seen }: { initial?: ConditionGroup; seen: (ConditionGroup | undefined)[] }) {
  const [value, setValue] = useState<ConditionGroup | undefined>(initial);
  return <RuleBuilder value={value} idPrefix="rb" onChange={(v) => { seen.push(v); setValue(v); }} />;
}

describe('rule builder', () => {
  it('starts a condition from nothing, then edits field, operator and value', () => {
    const seen: (ConditionGroup | undefined)[] = [];
    render(<Host seen={seen} />);
    fireEvent.click(screen.getByTestId('rb-enable'));
    expect(seen.at(-1)).toEqual({ match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: '' }] }] });

    fireEvent.change(screen.getByTestId('rb-0-0-field'), { target: { value: 'contact.scores.lead' } });
    fireEvent.change(screen.getByTestId('rb-0-0-op'), { target: { value: 'gte' } });
    fireEvent.change(screen.getByTestId('rb-0-0-value'), { target: { value: '50' } });
    expect(seen.at(-1)!.groups[0].rules[0]).toEqual({ field: 'contact.scores.lead', op: 'gte', value: 50 });
  });

  it('parses list operators into arrays and drops the value for exists', () => {
    const seen: (ConditionGroup | undefined)[] = [];
    render(<Host seen={seen} initial={{ match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.channel', op: 'eq', value: 'weibo' }] }] }} />);
    fireEvent.change(screen.getByTestId('rb-0-0-op'), { target: { value: 'in' } });
    fireEvent.change(screen.getByTestId('rb-0-0-value'), { target: { value: 'weibo, wechat ,x' } });
    expect(seen.at(-1)!.groups[0].rules[0]).toEqual({ field: 'event.channel', op: 'in', value: ['weibo', 'wechat', 'x'] });
    fireEvent.change(screen.getByTestId('rb-0-0-op'), { target: { value: 'exists' } });
    expect(seen.at(-1)!.groups[0].rules[0]).toEqual({ field: 'event.channel', op: 'exists' });
    expect(screen.queryByTestId('rb-0-0-value')).toBeNull();
  });

  it('adds rules and groups, switches any/all, and removing the last rule clears the condition', () => {
    const seen: (ConditionGroup | undefined)[] = [];
    render(<Host seen={seen} initial={{ match: 'all', groups: [{ match: 'all', rules: [{ field: 'event.text', op: 'contains', value: 'help' }] }] }} />);
    fireEvent.click(screen.getByTestId('rb-group-0-add-rule'));
    fireEvent.change(screen.getByTestId('rb-group-0-match'), { target: { value: 'any' } });
    fireEvent.click(screen.getByTestId('rb-add-group'));
    fireEvent.change(screen.getByTestId('rb-match'), { target: { value: 'any' } });
    const v = seen.at(-1)!;
    expect(v.match).toBe('any');
    expect(v.groups).toHaveLength(2);
    expect(v.groups[0]).toMatchObject({ match: 'any', rules: [{ value: 'help' }, { field: 'event.text' }] });

    fireEvent.click(screen.getByTestId('rb-1-0-remove'));
    expect(seen.at(-1)!.groups).toHaveLength(1);
    fireEvent.click(screen.getByTestId('rb-0-1-remove'));
    fireEvent.click(screen.getByTestId('rb-0-0-remove'));
    expect(seen.at(-1)).toBeUndefined();
    expect(screen.getByTestId('rb-enable')).toBeTruthy();
  });

  it('shows a rule\'s field errors next to it, and speaks Chinese', () => {
    useLanguage.getState().setLang('zh-CN');
    const onChange = vi.fn();
    render(<RuleBuilder idPrefix="rb" onChange={onChange}
      value={{ match: 'all', groups: [{ match: 'all', rules: [{ field: 'bad', op: 'eq', value: 1 }] }] }}
      errors={{ groups: { 0: { rules: { 0: { field: { __errors: ['must match pattern'] } } } } } }} />);
    expect(screen.getByRole('alert').textContent).toBe('field must match pattern');
    expect(screen.getByTestId('rb-0-0-field').className).toContain('field-invalid');
    expect(screen.getByTestId('rb-group-0-add-rule').textContent).toBe('+ 规则');
    expect((screen.getByTestId('rb-0-0-op') as HTMLSelectElement).selectedOptions[0].textContent).toBe('等于');
  });
});
