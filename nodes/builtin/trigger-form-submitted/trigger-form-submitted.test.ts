import { describe, expect, it } from 'vitest';
import { testEvent } from '../../harness';
import { triggerAccepts } from '../triggers/match';

const node = (type: string, config: Record<string, unknown>) => ({ id: 't', type, config });

describe('trigger.form-submitted', () => {
  it('matches the submitted form against its forms', () => {
    expect(triggerAccepts(node('trigger.form-submitted', { formIds: ['signup'] }), testEvent({ type: 'form.submitted', data: { formId: 'contact' } }))).toBe(false);
  });
});
