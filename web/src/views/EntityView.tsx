// An entity: every value with its source, organisation, grading and handling code; the
// records that refer to it; its links; a timeline of its dated values and links; and who else holds the
// same phone, account or wallet. Opening the first entity of a session asks for the purpose.

import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useT } from '../i18n';
import { entityPurposeKey, useApp, useLoad } from '../state';
import { viewsFor } from '../roles';
import type { Entity, Graph, Problem, Statement } from '../api';
import { groupStatements, policyText, timeline } from '../logic';
import { Loading, ProblemMessage } from '../components/ProblemMessage';

function sourceText(s: Statement): string {
  const src = s.source ?? '';
  return s.line ? `${src}:${s.line}` : src;
}

export function EntityView() {
  const { id = '' } = useParams();
  const { t } = useT();
  const { api, session, askPurpose, announce } = useApp();
  const [ready, setReady] = useState(false);
  const [declined, setDeclined] = useState(false);

  // The first entity opened in a session asks why, even when a purpose is already set.
  useEffect(() => {
    if (!session) return;
    const key = entityPurposeKey(session);
    let asked = false;
    try {
      asked = sessionStorage.getItem(key) === '1';
    } catch {
      asked = false;
    }
    if (asked) {
      setReady(true);
      return;
    }
    setDeclined(false);
    askPurpose().then(
      () => {
        try {
          sessionStorage.setItem(key, '1');
        } catch {
          /* asked again next time */
        }
        setReady(true);
      },
      () => setDeclined(true),
    );
  }, [session?.csrf_token, id]);

  const ent = useLoad<Entity>(ready ? () => api.entity(id) : null, [ready, id]);
  const canNetwork = session ? viewsFor(session.roles).has('network') : false;
  const links = useLoad<Graph | null>(
    ready && ent.data && canNetwork ? () => api.neighbours(ent.data!.id, { limit: 100 }).catch(() => null) : null,
    [ready, ent.data?.id, canNetwork],
  );

  useEffect(() => {
    document.title = `${ent.data?.caption ?? id} – ${t('app.title')}`;
    if (ent.data) announce(`${ent.data.caption}: ${t('entity.statements', { n: ent.data.statements.length })}`);
  }, [ent.data, id]);

  if (declined)
    return (
      <section aria-labelledby="entity-title">
        <h1 id="entity-title">{id}</h1>
        <p role="alert">{t('purpose.declined')}</p>
        <button
          type="button"
          onClick={() =>
            askPurpose().then(
              () => {
                setDeclined(false);
                setReady(true);
              },
              () => {},
            )
          }
        >
          {t('purpose.set')}
        </button>
      </section>
    );
  if (!ready || ent.loading || (!ent.data && !ent.error))
    return (
      <section aria-labelledby="entity-title" aria-busy="true">
        <h1 id="entity-title">{id}</h1>
        <Loading />
      </section>
    );
  if (ent.error)
    return (
      <section aria-labelledby="entity-title">
        <h1 id="entity-title">{id}</h1>
        <ProblemMessage problem={ent.error as Problem} onRetry={ent.reload} />
      </section>
    );
  const e = ent.data!;
  const stmts = groupStatements(e.statements);
  const graph = links.data;
  const captions = new Map(graph?.nodes.map((n) => [n.id, n.caption]) ?? []);
  // Dated values, and the links that have dates (a payment's, a call's), in one timeline.
  const dated: { at: string; end?: string; what: string; org?: string; other?: string }[] = [
    ...timeline(e.statements).map((s) => ({ at: s.value, what: s.prop, org: policyText(s.policy?.org) })),
    ...(graph?.edges ?? [])
      .filter((ed) => ed.first)
      .map((ed) => {
        const other = ed.src === e.id || e.members.includes(ed.src) ? ed.dst : ed.src;
        return { at: ed.first!, end: ed.last && ed.last !== ed.first ? ed.last : undefined, what: `${ed.prop} × ${ed.count}`, other };
      }),
  ].sort((a, b) => a.at.localeCompare(b.at));

  return (
    <article aria-labelledby="entity-title" className="entity-view">
      <header className="entity-head">
        <h1 id="entity-title">{e.caption || e.id}</h1>
        <p className="meta">
          <span className="badge">{e.schema}</span> <code>{e.id}</code>
        </p>
        {canNetwork && (
          <p>
            <Link to={`/network?start=${encodeURIComponent(e.id)}`}>{t('entity.openNetwork')}</Link>
          </p>
        )}
        {e.members.length > 1 && (
          <p>
            {t('entity.members')}: {e.members.map((m) => <code key={m}>{m} </code>)}
          </p>
        )}
      </header>

      <section aria-labelledby="props-title">
        <h2 id="props-title">{t('entity.properties')}</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="props-title">
          <table className="statements">
            <caption className="visually-hidden">
              {e.caption}: {t('entity.statements', { n: e.statements.length })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('entity.prop')}</th>
                <th scope="col">{t('entity.value')}</th>
                <th scope="col">{t('entity.source')}</th>
                <th scope="col">{t('entity.org')}</th>
                <th scope="col">{t('entity.grading')}</th>
                <th scope="col">{t('entity.handling')}</th>
                <th scope="col">{t('entity.subject')}</th>
              </tr>
            </thead>
            <tbody>
              {stmts.map(({ first: s, sources }, i) => (
                <tr key={`${s.prop}-${s.value}-${s.record_id}-${i}`}>
                  <th scope="row">{s.prop}</th>
                  <td>
                    {s.value}
                    {s.original && s.original !== s.value && (
                      <div className="sub">{t('entity.original', { original: s.original })}</div>
                    )}
                    {s.valid === false && <div className="sub warn">{t('entity.invalid')}</div>}
                  </td>
                  <td>
                    <span className="source">{sourceText(s)}</span>
                    <div className="sub">
                      {t('entity.record')} <code>{s.record_id}</code>
                    </div>
                    {sources.length > 1 && (
                      <details className="sub">
                        <summary>{t('entity.moreSources', { n: sources.length - 1 })}</summary>
                        <ul>
                          {sources.slice(1).map((o, j) => (
                            <li key={j}>
                              {sourceText(o)} ({t('entity.record')} <code>{o.record_id}</code>)
                            </li>
                          ))}
                        </ul>
                      </details>
                    )}
                  </td>
                  <td>
                    {policyText(s.policy?.org)}
                    <div className="sub">{policyText(s.policy?.dataset)}</div>
                  </td>
                  <td>{policyText(s.policy?.grading)}</td>
                  <td>
                    {policyText(s.policy?.handling)}
                    {s.policy?.handling_note && <div className="sub">{policyText(s.policy.handling_note)}</div>}
                  </td>
                  <td>{policyText(s.policy?.subject_category)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('entity.timeline')}</h2>
        {dated.length === 0 ? (
          <p>{t('entity.timelineNone')}</p>
        ) : (
          <ol className="timeline">
            {dated.map((d, i) => (
              <li key={i}>
                <time dateTime={d.at}>{d.at.replace('T', ' ')}</time>
                {d.end && (
                  <>
                    {' – '}
                    <time dateTime={d.end}>{d.end.replace('T', ' ')}</time>
                  </>
                )}{' '}
                <span>{d.what}</span>
                {d.other && (
                  <>
                    {' '}
                    <Link to={`/entity/${encodeURIComponent(d.other)}`}>{captions.get(d.other) || d.other}</Link>
                  </>
                )}
                {d.org && <span className="sub"> ({d.org})</span>}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="shared-title">
        <h2 id="shared-title">{t('entity.sharedKeys')}</h2>
        {e.shared_keys.length === 0 ? (
          <p>{t('entity.sharedNone')}</p>
        ) : (
          <RefTable refs={e.shared_keys} caption={t('entity.sharedKeys')} showTarget />
        )}
      </section>

      <section aria-labelledby="referrers-title">
        <h2 id="referrers-title">{t('entity.referrers')}</h2>
        {e.referrers.length === 0 ? <p>{t('common.none')}</p> : <RefTable refs={e.referrers} caption={t('entity.referrers')} />}
      </section>

      {canNetwork && (
        <section aria-labelledby="links-title">
          <h2 id="links-title">{t('entity.links')}</h2>
          {links.loading && <Loading />}
          {graph && graph.edges.length > 0 ? (
            <table>
              <caption className="visually-hidden">{t('entity.links')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('network.prop')}</th>
                  <th scope="col">{t('common.id')}</th>
                  <th scope="col">{t('common.count')}</th>
                  <th scope="col">{t('common.from')}</th>
                  <th scope="col">{t('common.to')}</th>
                </tr>
              </thead>
              <tbody>
                {graph.edges.map((ed, i) => {
                  const other = ed.src === e.id || e.members.includes(ed.src) ? ed.dst : ed.src;
                  return (
                    <tr key={i}>
                      <td>{ed.prop}</td>
                      <td>
                        <Link to={`/entity/${encodeURIComponent(other)}`}>{captions.get(other) || other}</Link>
                      </td>
                      <td>{ed.count}</td>
                      <td>{ed.first ?? '–'}</td>
                      <td>{ed.last ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            !links.loading && <p>{t('common.none')}</p>
          )}
        </section>
      )}
    </article>
  );
}

function RefTable({
  refs,
  caption,
  showTarget,
}: {
  refs: { entity_id: string; schema: string; prop: string; target: string }[];
  caption: string;
  showTarget?: boolean;
}) {
  const { t } = useT();
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('common.id')}</th>
          <th scope="col">{t('common.schema')}</th>
          <th scope="col">{t('entity.prop')}</th>
          {showTarget && <th scope="col">{t('entity.value')}</th>}
        </tr>
      </thead>
      <tbody>
        {refs.map((r, i) => (
          <tr key={`${r.entity_id}-${r.prop}-${i}`}>
            <td>
              <Link to={`/entity/${encodeURIComponent(r.entity_id)}`}>{r.entity_id}</Link>
            </td>
            <td>{r.schema}</td>
            <td>{r.prop}</td>
            {showTarget && <td>{r.target}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

