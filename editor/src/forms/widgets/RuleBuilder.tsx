/**
 * The rule builder: match all/any of groups, each matching all/any of rules `field op value`.
 * A plain controlled component (no rjsf) so it is testable alone; the form adapts it as a field.
 */
import { OPERATORS, type ConditionGroup, type Rule } from '../../../../nodes/conditions';
import { OPERATOR_LABELS } from '../../i18n/dictionary';
import { localized, useLang, useT } from '../../i18n/language-store';

export const FIELD_SUGGESTIONS = [
  'event.text', 'event.type', 'event.channel', 'event.data.', 'contact.profile.name', 'contact.profile.city', 'contact.tags',
  'contact.scores.lead', 'contact.createdAt', 'trigger.text', 'trigger.channel',
];
const NO_VALUE = new Set(['exists', 'not_exists']);
const LIST_VALUE = new Set(['in', 'not_in', 'includes', 'not_includes']);
const NUMBER_VALUE = new Set(['gt', 'gte', 'lt', 'lte', 'within_last_days']);

type Errors = Record<string, any> | undefined;

function parseValue(op: string, text: string): unknown {
  if (LIST_VALUE.has(op)) return text.split(',').map((s) => s.trim()).filter(Boolean);
  if (NUMBER_VALUE.has(op)) return text === '' ? undefined : Number.isFinite(Number(text)) ? Number(text) : text;
  return text;
}
function showValue(v: unknown): string {
  return Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v);
}

/** `{field: {__errors: [...]}, op: …}` of one rule as one line ("field: is required"). */
function ruleErrorText(err: Record<string, any> | undefined): string {
  if (!err) return '';
  return Object.entries(err)
    .map(([k, v]) => (k === '__errors' ? (v as string[] | undefined) ?? [] : ((v as { __errors?: string[] } | undefined)?.__errors ?? []).map((m) => `${k} ${m}`)))
    .flat()
    .join('; ');
}

const newRule = (): Rule => ({ field: 'event.text', op: 'contains', value: '' });

export function RuleBuilder({ value, onChange, errors, idPrefix = 'rules' }: { value: ConditionGroup | undefined; onChange(v: ConditionGroup | undefined): void; errors?: Errors; idPrefix?: string }) {
  const t = useT();
  const lang = useLang();
  // rjsf may hand over `{}` for a required object: treat a condition without groups as not yet started.
  if (!value || !value.groups?.length) {
    return (
      <button type="button" className="btn-small" data-testid={`${idPrefix}-enable`} onClick={() => onChange({ match: 'all', groups: [{ match: 'all', rules: [newRule()] }] })}>
        {t('form.addRule')}
      </button>
    );
  }
  const groups = value.groups ?? [];
  const setGroups = (g: ConditionGroup['groups']) => onChange(g.length ? { ...value, groups: g } : undefined);
  const setRule = (gi: number, ri: number, rule: Rule) => setGroups(groups.map((g, i) => (i === gi ? { ...g, rules: g.rules.map((r, j) => (j === ri ? rule : r)) } : g)));
  const matchSelect = (match: string | undefined, set: (m: 'all' | 'any') => void, testid: string) => (
    <select value={match ?? 'all'} onChange={(e) => set(e.target.value as 'all' | 'any')} data-testid={testid} aria-label="match">
      <option value="all">{t('form.matchAll')}</option>
      <option value="any">{t('form.matchAny')}</option>
    </select>
  );

  return (
    <div className="rule-builder" data-testid={idPrefix}>
      {groups.length > 1 && (
        <div className="rb-match">
          {t('form.groupsMatch', { match: '' })} {matchSelect(value.match, (m) => onChange({ ...value, match: m }), `${idPrefix}-match`)}
        </div>
      )}
      {groups.map((g, gi) => (
        <fieldset className="rb-group" key={gi} data-testid={`${idPrefix}-group-${gi}`}>
          <legend>
            {t('form.rulesMatch', { match: '' })} {matchSelect(g.match, (m) => setGroups(groups.map((x, i) => (i === gi ? { ...x, match: m } : x))), `${idPrefix}-group-${gi}-match`)}
          </legend>
          {g.rules.map((r, ri) => {
            const err = errors?.groups?.[gi]?.rules?.[ri];
            const rid = `${idPrefix}-${gi}-${ri}`;
            return (
              <div className="rb-rule" key={ri} data-testid={`rule-${gi}-${ri}`}>
                <input list="rb-fields" value={r.field} aria-label={t('form.field')} data-testid={`${rid}-field`}
                  className={err?.field ? 'field-invalid' : undefined}
                  onChange={(e) => setRule(gi, ri, { ...r, field: e.target.value })} />
                <select value={r.op} aria-label={t('form.op')} data-testid={`${rid}-op`}
                  onChange={(e) => {
                    const op = e.target.value as Rule['op'];
                    const next: Rule = { ...r, op };
                    if (NO_VALUE.has(op)) delete next.value;
                    else next.value = parseValue(op, showValue(r.value));
                    setRule(gi, ri, next);
                  }}>
                  {OPERATORS.map((op) => <option key={op} value={op}>{localized(OPERATOR_LABELS[op], lang)}</option>)}
                </select>
                {!NO_VALUE.has(r.op) && (
                  <input value={showValue(r.value)} aria-label={t('form.value')} data-testid={`${rid}-value`}
                    placeholder={LIST_VALUE.has(r.op) ? 'a, b, c' : ''}
                    onChange={(e) => setRule(gi, ri, { ...r, value: parseValue(r.op, e.target.value) })} />
                )}
                <button type="button" className="btn-icon" aria-label={t('form.remove')} data-testid={`${rid}-remove`}
                  onClick={() => setGroups(groups.map((x, i) => (i === gi ? { ...x, rules: x.rules.filter((_, j) => j !== ri) } : x)).filter((x) => x.rules.length))}>✕</button>
                {ruleErrorText(err) && <div className="field-error" role="alert">{ruleErrorText(err)}</div>}
              </div>
            );
          })}
          <button type="button" className="btn-small" data-testid={`${idPrefix}-group-${gi}-add-rule`}
            onClick={() => setGroups(groups.map((x, i) => (i === gi ? { ...x, rules: [...x.rules, newRule()] } : x)))}>{t('form.addRule')}</button>
        </fieldset>
      ))}
      <button type="button" className="btn-small" data-testid={`${idPrefix}-add-group`} onClick={() => setGroups([...groups, { match: 'all', rules: [newRule()] }])}>{t('form.addGroup')}</button>
      <datalist id="rb-fields">{FIELD_SUGGESTIONS.map((f) => <option key={f} value={f} />)}</datalist>
    </div>
  );
}
