// An RFC 9457 problem as a readable message: what happened in the user's language, the
// server's detail beneath it, and a way to try again.

import { statusKind, type Problem } from '../api';
import { useT, type Key } from '../i18n';

const KNOWN = new Set([
  'network',
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'payload-too-large',
  'unprocessable',
  'unavailable',
  'purpose-required',
  'rate-limited',
  'internal',
]);

export function problemText(t: ReturnType<typeof useT>['t'], p: Problem): string {
  // A type this app does not know is read by its status.
  const kind = KNOWN.has(p.kind) ? p.kind : KNOWN.has(statusKind(p.status)) ? statusKind(p.status) : 'unknown';
  return t(`problem.${kind}` as Key);
}

export function ProblemMessage({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  const { t } = useT();
  return (
    <div className="problem" role="alert" data-problem={problem.kind}>
      <p className="problem-main">
        <strong>{t('problem.title')}:</strong> {problemText(t, problem)}
      </p>
      {/* The server words its details in English. */}
      {problem.detail && problem.kind !== 'internal' && (
        <p className="problem-detail" lang="en">
          {problem.detail}
        </p>
      )}
      <p className="problem-status">
        {problem.status ? t('problem.status', { status: problem.status }) : null}
        {problem.retryAfter ? ` · ${t('problem.retryAfter', { s: problem.retryAfter })}` : null}
      </p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useT();
  return (
    <p className="loading" role="status">
      {t('common.loading')}
    </p>
  );
}
