/**
 * Who the test run is for and what starts it. The event type and channel follow the journey's trigger until the
 * marketer changes them; a real contact can seed the test contact (`copyFrom`), or a typed handle is used alone.
 */
import { useState } from 'react';
import type { ContactSummary } from '../../api/types';
import { useT } from '../../i18n/language-store';
import { ContactPicker, contactName } from './ContactPicker';
import { identityFor, type TriggerDefaults } from './trigger-defaults';
import { useFollowedField } from './useFollowedField';

/** A channel for a trigger that accepts any: the one the examples and most test data use. */
const ANY_CHANNEL_DEFAULT = 'weibo';

export interface TestRunRequestBody {
  contact: { channel: string; handle: string; profile?: Record<string, unknown>; copyFrom?: string };
  event: { type: string; text?: string };
}

function FollowedInput({ label, field, suggestions, testId }: {
  label: string; field: ReturnType<typeof useFollowedField>; suggestions: string[]; testId: string;
}) {
  const t = useT();
  const listId = `${testId}-options`;
  return (
    <label className="stacked">
      <span>{label}{field.following && suggestions.includes(field.value) ? <span className="muted" data-testid={`${testId}-follows`}> · {t('test.fromTrigger')}</span> : null}</span>
      <span className="row">
        <input value={field.value} onChange={(e) => field.set(e.target.value)} list={suggestions.length ? listId : undefined} data-testid={testId} />
        {!field.following && suggestions.length > 0 && (
          <button type="button" className="btn-icon" title={t('test.backToTrigger', { value: suggestions[0] })} aria-label={t('test.backToTrigger', { value: suggestions[0] })} onClick={field.follow} data-testid={`${testId}-reset`}>↺</button>
        )}
      </span>
      {suggestions.length > 0 && <datalist id={listId}>{suggestions.map((s) => <option key={s} value={s} />)}</datalist>}
    </label>
  );
}

export function TestRunForm({ trigger, disabled, onStart }: { trigger: TriggerDefaults; disabled: boolean; onStart(body: TestRunRequestBody): void }) {
  const t = useT();
  const eventType = useFollowedField(trigger.eventTypes[0] ?? '');
  const channel = useFollowedField(trigger.channels[0] ?? ANY_CHANNEL_DEFAULT);
  const [handle, setHandle] = useState('@test-contact');
  const [name, setName] = useState('Tess');
  const [text, setText] = useState('');
  const [seed, setSeed] = useState<ContactSummary | null>(null);

  const pick = (c: ContactSummary | null) => {
    setSeed(c);
    if (!c) return;
    // The test contact takes the picked contact's handle (in the test space: the real contact stays untouched),
    // but never a channel the trigger would refuse.
    const id = identityFor(c, trigger.channels);
    if (id) {
      if (!trigger.channels.length || trigger.channels.includes(id.channel)) channel.set(id.channel);
      setHandle(id.handle);
    }
    setName(contactName(c) ?? '');
  };

  const start = () => onStart({
    contact: { channel: channel.value, handle, ...(name ? { profile: { name } } : {}), ...(seed ? { copyFrom: seed.id } : {}) },
    event: { type: eventType.value, ...(text ? { text } : {}) },
  });

  return (
    <>
      <fieldset>
        <legend>{t('test.contact')}</legend>
        <div className="stacked"><span>{t('test.seed')}</span><ContactPicker picked={seed} onPick={pick} /></div>
        <FollowedInput label={t('test.channel')} field={channel} suggestions={trigger.channels} testId="test-channel" />
        <label className="stacked">{t('test.handle')}<input value={handle} onChange={(e) => setHandle(e.target.value)} data-testid="test-handle" /></label>
        <label className="stacked">{t('test.name')}<input value={name} onChange={(e) => setName(e.target.value)} data-testid="test-name" /></label>
      </fieldset>
      <fieldset>
        <legend>{t('test.event')}</legend>
        <FollowedInput label={t('test.eventType')} field={eventType} suggestions={trigger.eventTypes} testId="test-event-type" />
        <label className="stacked">{t('test.text')}<input value={text} onChange={(e) => setText(e.target.value)} data-testid="test-event-text" /></label>
      </fieldset>
      <button type="button" className="primary" disabled={disabled || !eventType.value || !channel.value || !handle} onClick={start} data-testid="test-start">{t('test.start')}</button>
    </>
  );
}
