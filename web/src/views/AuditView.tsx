// The audit view: who saw what, when and why — entries by entity, user, operation and time —
// and a check of the log's hash chain.

import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useT } from '../i18n';
import { useApp, useLoad, asProblem } from '../state';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import type { Problem } from '../api';

/// The entity asked about first, so that it is seen even in a long list of ids.
function idsFirst(ids: string[], entity: string | null): string[] {
  if (!entity || !ids.includes(entity)) return ids;
  return [entity, ...ids.filter((i) => i !== entity)];
}

export default function AuditView() {
  const { t } = useT();
  const { api, announce } = useApp();
  const [params, setParams] = useSearchParams();
  const [entity, setEntity] = useState(params.get('entity') ?? '');
  const [user, setUser] = useState(params.get('user') ?? '');
  const [op, setOp] = useState(params.get('op') ?? '');
  const [since, setSince] = useState(params.get('since') ?? '');
  const [until, setUntil] = useState(params.get('until') ?? '');
  const [verify, setVerify] = useState<{ ok: boolean; entries: number; broken: unknown } | null>(null);
  const [vProblem, setVProblem] = useState<Problem | null>(null);
  const key = params.toString();

  useEffect(() => {
    document.title = `${t('audit.title')} – ${t('app.title')}`;
  }, [t]);

  const res = useLoad(
    () =>
      api.audit({
        entity: params.get('entity'),
        user: params.get('user'),
        op: params.get('op'),
        since: params.get('since'),
        until: params.get('until'),
        limit: 200,
      }),
    [key],
  );

  useEffect(() => {
    if (res.data) announce(t('audit.count', { n: res.data.entries.length }));
  }, [res.data]);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const n = new URLSearchParams();
    const put = (k: string, v: string) => v.trim() && n.set(k, v.trim());
    put('entity', entity);
    put('user', user);
    put('op', op);
    put('since', since);
    put('until', until);
    setParams(n);
  }

  async function runVerify() {
    setVProblem(null);
    try {
      const v = await api.auditVerify();
      setVerify(v);
      announce(v.ok ? t('audit.verifyOk', { n: v.entries }) : t('audit.verifyBroken', { detail: JSON.stringify(v.broken) }));
    } catch (e) {
      setVProblem(asProblem(e));
    }
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p>{t('audit.intro')}</p>
      <form className="toolbar" onSubmit={submit}>
        <div className="field">
          <label htmlFor="audit-entity">{t('audit.entity')}</label>
          <input id="audit-entity" value={entity} onChange={(e) => setEntity(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-user">{t('audit.user')}</label>
          <input id="audit-user" value={user} onChange={(e) => setUser(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-op">{t('audit.op')}</label>
          <input id="audit-op" value={op} onChange={(e) => setOp(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-since">{t('audit.since')}</label>
          <input id="audit-since" type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="audit-until">{t('audit.until')}</label>
          <input id="audit-until" type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
        </div>
        <button type="submit" className="primary">
          {t('audit.search')}
        </button>
      </form>
      <p>
        <button type="button" onClick={runVerify}>
          {t('audit.verify')}
        </button>{' '}
        {verify && (
          <span className={verify.ok ? 'success' : 'field-error'} data-testid="audit-verify">
            {verify.ok ? t('audit.verifyOk', { n: verify.entries }) : t('audit.verifyBroken', { detail: JSON.stringify(verify.broken) })}
          </span>
        )}
      </p>
      {vProblem && <ProblemMessage problem={vProblem} />}
      {res.loading && <Loading />}
      {res.error && <ProblemMessage problem={res.error} onRetry={res.reload} />}
      {res.data && (
        <>
          <h2 id="entries-title">{t('audit.count', { n: res.data.entries.length })}</h2>
          <div className="table-wrap" role="region" aria-labelledby="entries-title" tabIndex={0}>
            <table className="audit" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t('audit.seq')}</th>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.user')}</th>
                  <th scope="col">{t('entity.org')}</th>
                  <th scope="col">{t('audit.op')}</th>
                  <th scope="col">{t('audit.purpose')}</th>
                  <th scope="col">{t('audit.detail')}</th>
                  <th scope="col">{t('audit.ids')}</th>
                </tr>
              </thead>
              <tbody>
                {res.data.entries.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>
                      <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time>
                    </td>
                    <td>{e.user}</td>
                    <td>{e.org}</td>
                    <td>{e.op}</td>
                    <td>{e.purpose}</td>
                    <td>{e.detail}</td>
                    <td className="ids">
                      {idsFirst(e.ids ?? [], params.get('entity')).slice(0, 5).map((id) =>
                        id === params.get('entity') ? (
                          <mark key={id}>
                            <code>{id}</code>{' '}
                          </mark>
                        ) : (
                          <code key={id}>{id} </code>
                        ),
                      )}
                      {(e.ids ?? []).length > 5 && `… (+${e.ids.length - 5})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
