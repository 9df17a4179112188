// The area dashboard: trends per category (lines, with the alerts marked), the alerts, the
// latest incidents and the partners' observations in the area.

import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useT } from '../i18n';
import { useApp, useLoad } from '../state';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import { LineChart, type Series } from '../components/LineChart';
import type { EventRow } from '../api';
import { inArea } from '../logic';

const SCHEMAS = ['', 'Seizure', 'Incident', 'Observation'];

export default function DashboardView() {
  const { t, num } = useT();
  const { api, announce } = useApp();
  const [params, setParams] = useSearchParams();
  const area = params.get('area') ?? '';
  const schema = params.get('schema') ?? '';
  const set = (k: string, v: string) => {
    const n = new URLSearchParams(params);
    if (v) n.set(k, v);
    else n.delete(k);
    setParams(n);
  };

  useEffect(() => {
    document.title = `${t('dashboard.title')} – ${t('app.title')}`;
  }, [t]);

  const areas = useLoad(() => api.areas(), []);
  const trends = useLoad(() => api.trends({ schema, area }), [schema, area]);
  const incidents = useLoad(() => api.events({ schema: 'Incident', limit: 5000 }), []);
  const observations = useLoad(() => api.events({ schema: 'Observation', limit: 5000 }), []);

  const areaNames = useMemo(() => {
    const fromGeo = (areas.data?.features ?? []).map((f) => String(f.properties?.name ?? '')).filter(Boolean);
    const fromEvents = [...(incidents.data?.events ?? []), ...(observations.data?.events ?? [])]
      .map((e) => (e.place ?? '').split(',')[0].trim())
      .filter(Boolean);
    return [...new Set(fromGeo.length ? fromGeo : fromEvents)].sort((a, b) => a.localeCompare(b, 'sv'));
  }, [areas.data, incidents.data, observations.data]);

  const series: Series[] = useMemo(() => {
    const d = trends.data;
    if (!d) return [];
    return d.series.map((s) => ({
      name: s.category || '–',
      data: s.counts,
      marks: d.alerts
        .filter((a) => a.category === s.category)
        .map((a) => ({ index: d.months.indexOf(a.month), label: `${a.count}` }))
        .filter((m) => m.index >= 0),
    }));
  }, [trends.data]);

  useEffect(() => {
    if (trends.data) announce(`${t('dashboard.trends')}: ${trends.data.series.length} · ${t('dashboard.alerts')}: ${trends.data.alerts.length}`);
  }, [trends.data]);

  const latest = (rows: EventRow[] | undefined) =>
    (rows ?? [])
      .filter((e) => inArea(e, area))
      .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))
      .slice(0, 15);

  return (
    <section aria-labelledby="dash-title" className="dashboard">
      <h1 id="dash-title">
        {t('dashboard.title')}
        {area && `: ${area}`}
      </h1>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="dash-area">{t('dashboard.area')}</label>
          <select id="dash-area" value={area} onChange={(e) => set('area', e.target.value)}>
            <option value="">{t('dashboard.allAreas')}</option>
            {areaNames.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
            {area && !areaNames.includes(area) && <option value={area}>{area}</option>}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dash-schema">{t('common.schema')}</label>
          <select id="dash-schema" value={schema} onChange={(e) => set('schema', e.target.value)}>
            {SCHEMAS.map((s) => (
              <option key={s} value={s}>
                {s || t('common.all')}
              </option>
            ))}
          </select>
        </div>
      </div>

      <div className="dash-grid">
        <section aria-labelledby="trends-title" className="panel wide">
          <h2 id="trends-title">{t('dashboard.trends')}</h2>
          {trends.loading && <Loading />}
          {trends.error && <ProblemMessage problem={trends.error} onRetry={trends.reload} />}
          {trends.data && (
            <>
              <LineChart x={trends.data.months} series={series} label={t('dashboard.chartLabel')} />
              <details>
                <summary>{t('dashboard.trends')} (tabell)</summary>
                <div className="table-wrap" role="region" aria-label={t('dashboard.trends')} tabIndex={0}>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('common.category')}</th>
                        {trends.data.months.map((m) => (
                          <th scope="col" key={m}>
                            {m}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {trends.data.series.map((s) => (
                        <tr key={s.category}>
                          <th scope="row">{s.category || '–'}</th>
                          {s.counts.map((c, i) => (
                            <td key={i}>{c}</td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </>
          )}
        </section>

        <section aria-labelledby="alerts-title" className="panel">
          <h2 id="alerts-title">{t('dashboard.alerts')}</h2>
          {trends.data &&
            (trends.data.alerts.length === 0 ? (
              <p>{t('dashboard.noAlerts')}</p>
            ) : (
              <ul className="alerts">
                {trends.data.alerts.map((a, i) => (
                  <li key={i}>
                    {t('dashboard.alertRow', { category: a.category, month: a.month, count: a.count, expected: num(Number(a.expected), 1) })}
                  </li>
                ))}
              </ul>
            ))}
        </section>

        <EventPanel id="incidents" title={t('dashboard.incidents')} loaded={incidents} rows={latest(incidents.data?.events)} />
        <EventPanel id="observations" title={t('dashboard.observations')} loaded={observations} rows={latest(observations.data?.events)} />
      </div>
    </section>
  );
}

function EventPanel({
  id,
  title,
  loaded,
  rows,
}: {
  id: string;
  title: string;
  loaded: ReturnType<typeof useLoad<{ events: EventRow[]; truncated: boolean }>>;
  rows: EventRow[];
}) {
  const { t } = useT();
  return (
    <section aria-labelledby={`${id}-title`} className="panel">
      <h2 id={`${id}-title`}>{title}</h2>
      {loaded.loading && <Loading />}
      {loaded.error && <ProblemMessage problem={loaded.error} onRetry={loaded.reload} />}
      {loaded.data &&
        (rows.length === 0 ? (
          <p>{t('common.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.date')}</th>
                <th scope="col">{t('common.category')}</th>
                <th scope="col">{t('common.place')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.entity_id}>
                  <td>{(e.date ?? '').replace('T', ' ').slice(0, 16)}</td>
                  <td>
                    <Link to={`/entity/${encodeURIComponent(e.entity_id)}`}>{e.category || e.schema}</Link>
                  </td>
                  <td>{e.place}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
