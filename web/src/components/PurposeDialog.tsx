// "Varför söker du?": the purpose every data route needs, asked in a modal dialog (the native
// <dialog>, which keeps focus inside and closes on Escape).

import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import type { Problem } from '../api';
import { ProblemMessage } from './ProblemMessage';

export function PurposeDialog({
  open,
  initial,
  onSubmit,
  onCancel,
}: {
  open: boolean;
  initial: string;
  onSubmit(purpose: string): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState(initial);
  const [missing, setMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setValue(initial);
      setMissing(false);
      setProblem(null);
      d.showModal();
      input.current?.focus();
      input.current?.select();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open, initial]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const v = value.trim();
    if (!v) {
      setMissing(true);
      input.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await onSubmit(v);
    } catch (err) {
      setProblem(err as Problem);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="purpose-dialog"
      aria-labelledby="purpose-title"
      aria-describedby="purpose-help"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="purpose-title">{t('purpose.dialog.title')}</h2>
        <label htmlFor="purpose-input">{t('purpose.dialog.label')}</label>
        <input
          id="purpose-input"
          ref={input}
          name="purpose"
          autoComplete="off"
          value={value}
          aria-invalid={missing || undefined}
          aria-describedby={missing ? 'purpose-help purpose-missing' : 'purpose-help'}
          onChange={(e) => {
            setValue(e.target.value);
            setMissing(false);
          }}
        />
        <p id="purpose-help" className="help">
          {t('purpose.dialog.help')}
        </p>
        {missing && (
          <p id="purpose-missing" className="field-error" role="alert">
            {t('purpose.dialog.required')}
          </p>
        )}
        {problem && <ProblemMessage problem={problem} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('purpose.dialog.ok')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('purpose.dialog.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
