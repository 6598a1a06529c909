/** Publish with a version note; the server's answer (a new version or readable errors) is shown here. */
import { useState } from 'react';
import { api, errorText } from '../api/client';
import { useT } from '../i18n/language-store';

export function PublishDialog({ journeyId, beforePublish, onClose, onPublished }: { journeyId: string; beforePublish(): Promise<void>; onClose(): void; onPublished(version: number): void }) {
  const t = useT();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      await beforePublish();
      const v = await api.publish(journeyId, note.trim());
      onPublished(v.version);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="publish-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="modal" data-testid="publish-dialog">
        <h2 id="publish-title">{t('publish.heading')}</h2>
        <label className="stacked">
          {t('publish.note')}
          <textarea autoFocus rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} data-testid="publish-note" />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="primary" disabled={busy} onClick={publish} data-testid="publish-confirm">{t('publish.confirm')}</button>
        </div>
      </div>
    </div>
  );
}
