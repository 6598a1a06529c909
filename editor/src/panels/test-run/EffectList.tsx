/** The contact changes a step made: points added, tags and segments, fields set. */
import { useT } from '../../i18n/language-store';
import type { MessageKey } from '../../i18n/dictionary';
import type { EffectSummary } from './step-details';
import { FieldList } from './FieldList';
import { fieldsOf } from './step-details';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export function EffectList({ effects }: { effects: EffectSummary[] }) {
  const t = useT();
  if (!effects.length) return null;
  const rows = effects.flatMap((e, i) => {
    if (e.kind === 'points') {
      return [<div className="field-row" key={i} data-field="points"><dt>{t('inspect.points')}</dt><dd>{t('inspect.pointsLine', { score: e.score, delta: signed(e.delta) })}{e.reason ? <span className="muted"> ({e.reason})</span> : null}</dd></div>];
    }
    if (e.kind === 'fields') {
      return [<div className="field-row" key={i} data-field="fields"><dt>{t('inspect.fieldsSet')}</dt><dd><FieldList fields={fieldsOf(e.set)} /></dd></div>];
    }
    const [added, removed]: MessageKey[] = e.kind === 'tags' ? ['inspect.tagsAdded', 'inspect.tagsRemoved'] : ['inspect.segmentsEntered', 'inspect.segmentsLeft'];
    return [[added, e.add] as const, [removed, e.remove] as const].filter(([, list]) => list.length)
      .map(([label, list]) => <div className="field-row" key={`${i}-${label}`} data-field={e.kind}><dt>{t(label)}</dt><dd>{list.join(', ')}</dd></div>);
  });
  return <dl className="fields" data-testid="step-effects">{rows}</dl>;
}
