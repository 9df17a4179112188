// Search with facets (schema, dataset, organisation), a period and a minimum grading; hits
// with their snippets, matches marked. The query lives in the URL so that back and forward
// work and a search can be shared.

import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useT } from '../i18n';
import { useApp, useLoad } from '../state';
import { bracketSegments, highlightSegments } from '../highlight';
import type { Facet, Hit } from '../api';
import { Loading, ProblemMessage } from '../components/ProblemMessage';

const FACETS = ['schema', 'dataset', 'org'] as const;
const GRADES = ['A1', 'A2', 'B2', 'B3', 'C3', 'D4'];

export function Snippet({ hit }: { hit: Pick<Hit, 'snippet' | 'highlights'> }) {
  const segs =
    hit.highlights && hit.highlights.length > 0
      ? highlightSegments(hit.snippet, hit.highlights)
      : bracketSegments(hit.snippet ?? '');
  return (
    <p className="snippet">
      {segs.map((s, i) => (s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </p>
  );
}

export function SearchView() {
  const { t } = useT();
  const { api, announce } = useApp();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');
  const [graded, setGraded] = useState(params.get('graded') ?? '');
  const key = params.toString();
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = `${t('search.title')} – ${t('app.title')}`;
  }, [t]);
  useEffect(() => setDraft(q), [q]);

  const res = useLoad(
    q
      ? () =>
          api.search({
            q,
            schema: params.get('schema'),
            dataset: params.get('dataset'),
            org: params.get('org'),
            from: params.get('from'),
            to: params.get('to'),
            graded: params.get('graded'),
            limit: 50,
          })
      : null,
    [key],
  );

  useEffect(() => {
    if (res.data) announce(res.data.results.length ? t('search.total', { n: res.data.results.length, total: res.data.total_documents }) : t('search.noHits'));
  }, [res.data]);

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    update({ q: draft.trim() || null, from: from || null, to: to || null, graded: graded || null });
  }

  const facetLabel = (f: (typeof FACETS)[number]) =>
    f === 'schema' ? t('common.schema') : f === 'dataset' ? t('search.dataset') : t('search.org');
  const anyFilter = FACETS.some((f) => params.get(f)) || params.get('from') || params.get('to') || params.get('graded');

  return (
    <section aria-labelledby="search-title" className="search-view">
      <h1 id="search-title">{t('search.title')}</h1>
      <form role="search" onSubmit={submit} className="search-form">
        <div className="field grow">
          <label htmlFor="search-q">{t('search.query')}</label>
          <input
            id="search-q"
            type="search"
            name="q"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-describedby="search-hint"
          />
          <p id="search-hint" className="help">
            {t('search.hint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="search-from">{t('common.from')}</label>
          <input id="search-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="search-to">{t('common.to')}</label>
          <input id="search-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="search-graded">{t('search.graded')}</label>
          <select id="search-graded" value={graded} onChange={(e) => setGraded(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {GRADES.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>

      <div className="search-body">
        {res.data && (
          <aside className="facets" aria-labelledby="facets-title">
            <h2 id="facets-title">{t('search.facets')}</h2>
            {typeof res.data.facets_over === 'number' && res.data.facets_over < res.data.total_documents && (
              <p className="help">{t('search.facetsOver', { n: res.data.facets_over })}</p>
            )}
            {FACETS.map((f) => {
              const values: Facet = res.data?.facets?.[f] ?? [];
              const chosen = params.get(f);
              if (!values.length && !chosen) return null;
              return (
                <fieldset key={f} className="facet">
                  <legend>{facetLabel(f)}</legend>
                  <ul>
                    {chosen && !values.some(([v]) => v === chosen) && (
                      <li>
                        <button type="button" aria-pressed="true" onClick={() => update({ [f]: null })}>
                          {chosen}
                        </button>
                      </li>
                    )}
                    {values.map(([v, n]) => (
                      <li key={v}>
                        <button
                          type="button"
                          aria-pressed={chosen === v}
                          aria-label={chosen === v ? t('search.facetRemove', { value: v }) : undefined}
                          onClick={() => update({ [f]: chosen === v ? null : v })}
                        >
                          {v} <span className="count">{n}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </fieldset>
              );
            })}
            {anyFilter && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setFrom('');
                  setTo('');
                  setGraded('');
                  update({ schema: null, dataset: null, org: null, from: null, to: null, graded: null });
                }}
              >
                {t('search.clear')}
              </button>
            )}
          </aside>
        )}
        <div className="results" aria-busy={res.loading}>
          {res.loading && <Loading />}
          {res.error && <ProblemMessage problem={res.error} onRetry={res.reload} />}
          {res.data && (
            <>
              <h2 id="results-title" ref={resultsHeading}>
                {t('search.results')}{' '}
                <span className="count">
                  ({t('search.total', { n: res.data.results.length, total: res.data.total_documents })})
                </span>
              </h2>
              {res.data.results.length === 0 ? (
                <p>{t('search.noHits')}</p>
              ) : (
                <ol className="hits" aria-labelledby="results-title">
                  {res.data.results.map((h, i) => (
                    <li key={`${h.id}-${h.record_id}-${i}`} className="hit">
                      <h3>
                        <Link to={`/entity/${encodeURIComponent(h.id)}`}>{h.title || h.id}</Link>
                      </h3>
                      <p className="meta">
                        <span className="badge">{h.schema}</span> <span>{h.dataset}</span> · <span>{h.org}</span>
                      </p>
                      {h.snippet && <Snippet hit={h} />}
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

