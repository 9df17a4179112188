// The map: events, Gi* hotspot bins and emerging-hotspot categories over H3 cells, and the
// areas with their counts, with a slider over the months. Everything drawn is also in a table
// beside the map, for keyboards and screen readers.

import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { useT, type Key } from '../i18n';
import { useApp, useLoad } from '../state';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import { createMap, maplibregl, webglSupported } from '../map/basemap';
import { boundsOf, coordsOf } from '../logic';
import { monthRange, monthsOf } from '../logic';

const SCHEMAS = ['', 'Seizure', 'Incident', 'Observation'];
export const BIN_COLOURS: Record<string, string> = {
  '3': '#b2182b',
  '2': '#ef8a62',
  '1': '#fddbc7',
  '0': 'rgba(0,0,0,0)',
  '-1': '#d1e5f0',
  '-2': '#67a9cf',
  '-3': '#2166ac',
};
const PALETTE = ['#d7301f', '#fc8d59', '#984ea3', '#4daf4a', '#377eb8', '#ff7f00', '#a65628', '#f781bf', '#999999', '#66c2a5', '#e7298a', '#1b9e77'];

function prop(f: GeoJSON.Feature, k: string): unknown {
  return (f.properties ?? {})[k];
}

/// An emerging-hotspot cell's category as people read it ("Intensifying Hot Spot").
function emergingLabel(f: GeoJSON.Feature): string {
  return String(prop(f, 'label') ?? prop(f, 'category') ?? '');
}

export default function MapView() {
  const { t, num } = useT();
  const { api, announce } = useApp();
  const [schema, setSchema] = useState('');
  const [category, setCategory] = useState('');
  const [appliedCategory, setAppliedCategory] = useState('');
  const [layers, setLayers] = useState({ events: true, hotspots: true, emerging: false, areas: true });
  const [monthIdx, setMonthIdx] = useState(0);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const [mapReady, setMapReady] = useState(false);
  const [gl] = useState(() => webglSupported());
  const fitted = useRef(false);

  useEffect(() => {
    document.title = `${t('map.title')} – ${t('app.title')}`;
  }, [t]);

  // Every event of the period (for the months of the slider), then the chosen month's layers.
  const all = useLoad(() => api.events({ schema, category: appliedCategory, limit: 20000 }), [schema, appliedCategory]);
  const months = useMemo(() => monthsOf(all.data?.events ?? []), [all.data]);
  const month = monthIdx > 0 ? months[monthIdx - 1] : undefined;
  const range = month ? monthRange(month) : { from: undefined, to: undefined };
  const q = { schema, category: appliedCategory, from: range.from, to: range.to };
  const deps = [schema, appliedCategory, month];
  const events = useMemo(
    () => (all.data?.events ?? []).filter((e) => !month || (e.date ?? '').startsWith(month)),
    [all.data, month],
  );
  const hot = useLoad(() => api.hotspots(q), deps);
  const emerging = useLoad(layers.emerging ? () => api.emerging({ schema, category: appliedCategory }) : null, [schema, appliedCategory, layers.emerging]);
  const areas = useLoad(() => api.areas({ schema, from: range.from, to: range.to }), [schema, month]);

  useEffect(() => setMonthIdx(0), [schema, appliedCategory]);

  // The map, once.
  useEffect(() => {
    if (!gl || !container.current) return;
    let gone = false;
    createMap(api, container.current, { center: [13.0, 55.6], zoom: 10, label: t('map.label') })
      .then((m) => {
        if (gone) {
          m.remove();
          return;
        }
        mapRef.current = m;
        const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
        for (const id of ['areas', 'emerging', 'hotspots', 'events']) m.addSource(id, { type: 'geojson', data: empty });
        m.addLayer({ id: 'areas-fill', type: 'fill', source: 'areas', paint: { 'fill-color': '#6a51a3', 'fill-opacity': ['interpolate', ['linear'], ['coalesce', ['get', 'events'], 0], 0, 0.02, 200, 0.35] } });
        m.addLayer({ id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': '#54278f', 'line-width': 1.5 } });
        m.addLayer({ id: 'emerging-fill', type: 'fill', source: 'emerging', paint: { 'fill-color': ['coalesce', ['get', '_colour'], '#999'], 'fill-opacity': 0.6 } });
        m.addLayer({
          id: 'hotspots-fill',
          type: 'fill',
          source: 'hotspots',
          filter: ['!=', ['to-number', ['get', 'bin'], 0], 0],
          paint: {
            'fill-color': ['match', ['to-string', ['get', 'bin']], '3', BIN_COLOURS['3'], '2', BIN_COLOURS['2'], '1', BIN_COLOURS['1'], '-1', BIN_COLOURS['-1'], '-2', BIN_COLOURS['-2'], '-3', BIN_COLOURS['-3'], 'rgba(0,0,0,0)'],
            'fill-opacity': 0.7,
          },
        });
        m.addLayer({ id: 'hotspots-line', type: 'line', source: 'hotspots', filter: ['>', ['to-number', ['get', 'bin'], 0], 0], paint: { 'line-color': '#67000d', 'line-width': 0.5 } });
        m.addLayer({ id: 'events-circle', type: 'circle', source: 'events', paint: { 'circle-radius': 3, 'circle-color': '#08306b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5, 'circle-opacity': 0.8 } });
        for (const layer of ['events-circle', 'hotspots-fill', 'emerging-fill', 'areas-fill']) {
          m.on('click', layer, (e) => {
            const f = e.features?.[0];
            if (!f) return;
            const rows = Object.entries(f.properties ?? {})
              .filter(([k]) => !k.startsWith('_'))
              .map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(String(v))}</td></tr>`)
              .join('');
            new maplibregl.Popup().setLngLat(e.lngLat).setHTML(`<table class="popup">${rows}</table>`).addTo(m);
          });
        }
        setMapReady(true);
      })
      .catch(() => setMapReady(false));
    return () => {
      gone = true;
      mapRef.current?.remove();
      mapRef.current = null;
    };
  }, [gl]);

  const emergingColours = useMemo(() => {
    const cats = [...new Set((emerging.data?.features ?? []).map((f) => emergingLabel(f)))].filter(Boolean).sort();
    return new Map(cats.map((c, i) => [c, PALETTE[i % PALETTE.length]]));
  }, [emerging.data]);

  // The layers' data and visibility.
  useEffect(() => {
    const m = mapRef.current;
    if (!m || !mapReady) return;
    const set = (id: string, fc: GeoJSON.FeatureCollection | undefined) =>
      (m.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(fc ?? { type: 'FeatureCollection', features: [] });
    set('events', {
      type: 'FeatureCollection',
      features: events
        .filter((e) => Number.isFinite(e.lat) && Number.isFinite(e.lon))
        .map((e) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [e.lon, e.lat] },
          properties: { id: e.entity_id, schema: e.schema, date: e.date, category: e.category, place: e.place },
        })),
    });
    set('hotspots', hot.data);
    set('areas', areas.data);
    // The areas shaded by their share of the busiest area's events.
    const maxEvents = Math.max(1, ...(areas.data?.features ?? []).map((f) => Number(prop(f, 'events') ?? 0)));
    if (m.getLayer('areas-fill'))
      m.setPaintProperty('areas-fill', 'fill-opacity', ['interpolate', ['linear'], ['coalesce', ['get', 'events'], 0], 0, 0.03, maxEvents, 0.4]);
    set('emerging', emerging.data && {
      ...emerging.data,
      features: emerging.data.features.map((f) => ({ ...f, properties: { ...f.properties, _colour: emergingColours.get(emergingLabel(f)) } })),
    });
    const vis = (ids: string[], on: boolean) => ids.forEach((id) => m.getLayer(id) && m.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none'));
    vis(['events-circle'], layers.events);
    vis(['hotspots-fill', 'hotspots-line'], layers.hotspots);
    vis(['emerging-fill'], layers.emerging);
    vis(['areas-fill', 'areas-line'], layers.areas);
    if (!fitted.current && (hot.data || hot.error) && (all.data || all.error)) {
      // Where the hot spots are, else the events, else the areas.
      const hotOnly = hot.data && { ...hot.data, features: hot.data.features.filter((f) => Number(prop(f, 'bin')) > 0) };
      const hotPts = coordsOf(hotOnly);
      const pts = hotPts.length ? hotPts : events.length ? events.map((e) => [e.lon, e.lat] as [number, number]) : coordsOf(areas.data);
      const b = boundsOf(pts);
      if (b) {
        m.fitBounds(b, { duration: 0, padding: 40, maxZoom: 14 });
        fitted.current = true;
      }
    }
  }, [mapReady, events, hot.data, hot.error, all.data, all.error, areas.data, emerging.data, emergingColours, layers]);

  const hotCells = useMemo(
    () =>
      (hot.data?.features ?? [])
        .filter((f) => Number(prop(f, 'bin')) > 0)
        .sort((a, b) => Number(prop(b, 'z')) - Number(prop(a, 'z'))),
    [hot.data],
  );
  const areaRows = useMemo(
    () =>
      (areas.data?.features ?? [])
        .map((f) => ({ name: String(prop(f, 'name') ?? prop(f, 'district') ?? prop(f, 'id') ?? '?'), events: Number(prop(f, 'events') ?? 0), props: f.properties }))
        .sort((a, b) => b.events - a.events),
    [areas.data],
  );
  const emergingCounts = useMemo(() => {
    const c = new Map<string, number>();
    for (const f of emerging.data?.features ?? []) {
      const k = emergingLabel(f);
      c.set(k, (c.get(k) ?? 0) + 1);
    }
    return [...c.entries()].sort((a, b) => b[1] - a[1]);
  }, [emerging.data]);

  useEffect(() => {
    if (all.data && hot.data) announce(t('map.summary', { events: events.length, hot: hotCells.length, areas: areaRows.length }));
  }, [all.data, hot.data, areas.data, month]);

  return (
    <section aria-labelledby="map-title" className="map-view">
      <h1 id="map-title">{t('map.title')}</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setAppliedCategory(category.trim());
        }}
      >
        <div className="field">
          <label htmlFor="map-schema">{t('common.schema')}</label>
          <select id="map-schema" value={schema} onChange={(e) => setSchema(e.target.value)}>
            {SCHEMAS.map((s) => (
              <option key={s} value={s}>
                {s || t('common.all')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="map-category">{t('common.category')}</label>
          <input id="map-category" value={category} onChange={(e) => setCategory(e.target.value)} />
        </div>
        <button type="submit">{t('common.apply')}</button>
        <fieldset className="layers">
          <legend>{t('map.layers')}</legend>
          {(['events', 'hotspots', 'emerging', 'areas'] as const).map((l) => (
            <label key={l}>
              <input type="checkbox" checked={layers[l]} onChange={(e) => setLayers({ ...layers, [l]: e.target.checked })} /> {t(`map.${l}` as Key)}
            </label>
          ))}
        </fieldset>
      </form>
      <div className="field slider">
        <label htmlFor="map-month">
          {t('map.period')}: <output htmlFor="map-month" id="map-month-value">{month ?? t('map.allMonths')}</output>
        </label>
        <input
          id="map-month"
          type="range"
          min={0}
          max={months.length}
          step={1}
          value={monthIdx}
          disabled={months.length === 0}
          aria-valuetext={month ?? t('map.allMonths')}
          onChange={(e) => setMonthIdx(Number(e.target.value))}
        />
      </div>

      <div className="map-layout">
        <div className="map-box">
          {gl ? (
            <div ref={container} className="map" data-testid="map" />
          ) : (
            <p className="notice" role="note">
              {t('nowebgl')}
            </p>
          )}
          <Legend />
        </div>
        <div className="map-side" aria-live="off">
          {(all.loading || hot.loading) && <Loading />}
          {all.error && <ProblemMessage problem={all.error} onRetry={all.reload} />}
          {hot.error && <ProblemMessage problem={hot.error} onRetry={hot.reload} />}
          {areas.error && <ProblemMessage problem={areas.error} onRetry={areas.reload} />}
          {all.data && hot.data && (
            <p className="summary" data-testid="map-summary">
              {t('map.summary', { events: events.length, hot: hotCells.length, areas: areaRows.length })}
              {all.data.truncated && ` ${t('common.truncated')}`}
            </p>
          )}
          <h2 id="hot-title">{t('map.topCells')}</h2>
          {hotCells.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <table className="hot-table" aria-labelledby="hot-title">
              <thead>
                <tr>
                  <th scope="col">{t('map.cell')}</th>
                  <th scope="col">{t('common.count')}</th>
                  <th scope="col">{t('map.z')}</th>
                  <th scope="col">{t('map.bin')}</th>
                </tr>
              </thead>
              <tbody>
                {hotCells.slice(0, 15).map((f, i) => (
                  <tr key={String(prop(f, 'cell') ?? prop(f, 'h3') ?? f.id ?? i)}>
                    <td>
                      <code>{String(prop(f, 'cell') ?? prop(f, 'h3') ?? f.id ?? i + 1)}</code>
                    </td>
                    <td>{String(prop(f, 'count') ?? '')}</td>
                    <td>{num(Number(prop(f, 'z')), 2)}</td>
                    <td>{t(`map.bin.${Number(prop(f, 'bin'))}` as Key)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {layers.emerging && (
            <>
              <h2 id="emerging-title">{t('map.emerging')}</h2>
              {emerging.loading && <Loading />}
              {emerging.error && <ProblemMessage problem={emerging.error} onRetry={emerging.reload} />}
              {emerging.data &&
                (emergingCounts.length === 0 ? (
                  <p>{t('map.emergingNone')}</p>
                ) : (
                  <table aria-labelledby="emerging-title">
                    <thead>
                      <tr>
                        <th scope="col">{t('common.category')}</th>
                        <th scope="col">{t('common.count')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {emergingCounts.map(([c, n]) => (
                        <tr key={c}>
                          <td>
                            <span className="swatch" style={{ background: emergingColours.get(c) }} aria-hidden="true" /> {c || '–'}
                          </td>
                          <td>{n}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ))}
            </>
          )}
          <h2 id="areas-title">{t('map.areas')}</h2>
          {areaRows.length === 0 ? (
            <p>{t('common.none')}</p>
          ) : (
            <table aria-labelledby="areas-title">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.area')}</th>
                  <th scope="col">{t('map.areaEvents')}</th>
                </tr>
              </thead>
              <tbody>
                {areaRows.map((a) => (
                  <tr key={a.name}>
                    <td>
                      <Link to={`/dashboard?area=${encodeURIComponent(a.name)}`}>{a.name}</Link>
                    </td>
                    <td>{a.events}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}

function Legend() {
  const { t } = useT();
  return (
    <div className="legend" aria-label={t('map.legend')} role="group">
      {['3', '2', '1', '-1', '-2', '-3'].map((b) => (
        <span key={b} className="legend-item">
          <span className="swatch" style={{ background: BIN_COLOURS[b] }} aria-hidden="true" /> {t(`map.bin.${b}` as Key)}
        </span>
      ))}
      <span className="legend-item">
        <span className="swatch dot" aria-hidden="true" /> {t('map.events')}
      </span>
    </div>
  );
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
