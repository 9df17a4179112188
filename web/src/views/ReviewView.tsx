// The review queue of entity resolution: each proposed pair side by side with the model's
// explanation (the waterfall of weights), judged same, not the same or unsure.

import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useT } from '../i18n';
import { useApp, useLoad, asProblem } from '../state';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import type { Problem, Proposal } from '../api';
import { contributions } from '../logic';

type Verdict = 'same' | 'not_same' | 'unsure';

export default function ReviewView() {
  const { t, num } = useT();
  const { api, announce } = useApp();
  const q = useLoad(() => api.review(20), []);
  const [done, setDone] = useState<Set<string>>(new Set());
  const [last, setLast] = useState<{ n: number; msg: string } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    document.title = `${t('review.title')} – ${t('app.title')}`;
  }, [t]);

  const verdictLabel = (v: Verdict) => (v === 'same' ? t('review.same') : v === 'not_same' ? t('review.notSame') : t('review.unsure'));

  async function judge(p: Proposal, v: Verdict) {
    setProblem(null);
    try {
      const r = await api.judge(p.left.id, p.right.id, v);
      setDone((d) => new Set(d).add(String(p.id)));
      const msg = t('review.judged', { verdict: verdictLabel(v), n: r.judgement });
      setLast({ n: r.judgement, msg });
      announce(msg);
    } catch (e) {
      setProblem(asProblem(e));
    }
  }

  async function undo() {
    if (!last) return;
    try {
      await api.undo(last.n);
      setLast(null);
      announce(t('review.undone'));
      q.reload();
      setDone(new Set());
    } catch (e) {
      setProblem(asProblem(e));
    }
  }

  const open = (q.data?.proposals ?? []).filter((p) => !done.has(String(p.id)));

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">{t('review.title')}</h1>
      <p>{t('review.intro')}</p>
      {q.loading && <Loading />}
      {q.error && <ProblemMessage problem={q.error} onRetry={q.reload} />}
      {problem && <ProblemMessage problem={problem} />}
      {last && (
        <p className="success">
          {last.msg}{' '}
          <button type="button" onClick={undo}>
            {t('review.undo')}
          </button>
        </p>
      )}
      {q.data && open.length === 0 && <p>{t('review.empty')}</p>}
      <ol className="proposals">
        {open.map((p) => {
          const ex = contributions(p.explanation);
          const id = `prop-${p.id}`;
          return (
            <li key={String(p.id)} className="proposal" aria-labelledby={`${id}-h`}>
              <h2 id={`${id}-h`}>
                {p.left.caption} ~ {p.right.caption}{' '}
                <span className="count">{t('review.probability', { p: num(Number(p.probability), 3) })}</span>
              </h2>
              <table className="pair-table">
                <caption className="visually-hidden">
                  {p.left.caption} ~ {p.right.caption}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('entity.prop')}</th>
                    <th scope="col">
                      {t('review.left')}:{' '}
                      <Link to={`/entity/${encodeURIComponent(p.left.id)}`}>{p.left.caption || p.left.id}</Link>
                    </th>
                    <th scope="col">
                      {t('review.right')}:{' '}
                      <Link to={`/entity/${encodeURIComponent(p.right.id)}`}>{p.right.caption || p.right.id}</Link>
                    </th>
                    <th scope="col">{t('review.weight')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(ex?.rows ?? [])
                    .filter((c) => (c.left || c.right) && !/term frequency/.test(c.comparison))
                    .map((c, i) => (
                      <tr key={i} className={c.weight > 0 ? 'agree' : c.weight < 0 ? 'disagree' : undefined}>
                        <th scope="row">
                          {c.comparison} <span className="sub">({c.level})</span>
                        </th>
                        <td>{c.left || '–'}</td>
                        <td>{c.right || '–'}</td>
                        <td>{c.weight > 0 ? '+' : ''}{num(Number(c.weight), 2)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
              <details>
                <summary>{t('review.explanation')}</summary>
                <pre className="waterfall">{ex?.text ?? (typeof p.explanation === 'string' ? p.explanation : JSON.stringify(p.explanation, null, 2))}</pre>
              </details>
              <div className="buttons" role="group" aria-label={`${p.left.caption} ~ ${p.right.caption}`}>
                <button type="button" onClick={() => judge(p, 'same')}>
                  {t('review.same')}
                </button>
                <button type="button" onClick={() => judge(p, 'not_same')}>
                  {t('review.notSame')}
                </button>
                <button type="button" onClick={() => judge(p, 'unsure')}>
                  {t('review.unsure')}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
