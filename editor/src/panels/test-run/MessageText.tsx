/**
 * A rendered message with its gaps in plain sight: a variable that had no value shows as a highlighted
 * "⟨event.name⟩ missing" where it would have been, instead of as nothing at all.
 */
import { useT } from '../../i18n/language-store';
import type { MessagePart } from './message-parts';

function MissingVariable({ path }: { path: string }) {
  const t = useT();
  return <mark className="var-missing" title={t('inspect.missingTitle', { path })} data-testid="missing-variable" data-path={path}>{t('inspect.missingVar', { path })}</mark>;
}

export function MessageText({ text, parts, missing }: { text: string; parts: MessagePart[] | null; missing: string[] }) {
  const t = useT();
  if (parts) {
    return (
      <p className="message-text" data-testid="message-text">
        {parts.map((p, i) => (p.kind === 'text' ? <span key={i}>{p.text}</span>
          : p.kind === 'value' ? <span key={i} className="var-value" title={t('inspect.valueOf', { path: p.path })}>{p.text}</span>
            : <MissingVariable key={i} path={p.path} />))}
      </p>
    );
  }
  // The template changed since the run (or was never known): the text as sent, and the gaps named after it.
  return (
    <div>
      <p className="message-text" data-testid="message-text">{text}</p>
      {missing.length > 0 && <MissingVariables paths={missing} />}
    </div>
  );
}

export function MissingVariables({ paths }: { paths: string[] }) {
  const t = useT();
  return <p className="small">{t('inspect.missingList')} {paths.map((p) => <MissingVariable key={p} path={p} />)}</p>;
}
