// The partner's page: an observation in under a minute (what, where by a click on the map or
// typed coordinates, when, how sure), then the suppressed table of its area, where it counts.

import { useEffect, useMemo, useRef, useState } from 'react';
import { categoryLabel, useT } from '../i18n';
import { useApp, useLoad, asProblem } from '../state';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import { AggregateTableView } from '../components/AggregateTableView';
import { createMap, maplibregl, webglSupported } from '../map/basemap';
import { boundsOf, coordsOf, localNow, parseCoord, pointInFeature } from '../logic';
import type { Observation, Problem } from '../api';

const CATEGORIES = ['öppen försäljning', 'påverkade personer', 'samlingsplats', 'övrigt'];

export default function PartnerView() {
  const { t } = useT();
  const { api, announce, session } = useApp();
  const [category, setCategory] = useState(CATEGORIES[0]);
  const [description, setDescription] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [place, setPlace] = useState('');
  const [when, setWhen] = useState(() => localNow());
  const [certainty, setCertainty] = useState<Observation['certainty']>('probable');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [badCoords, setBadCoords] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const [aggCategory, setAggCategory] = useState(CATEGORIES[0]);
  const [aggTick, setAggTick] = useState(0);
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const marker = useRef<maplibregl.Marker | null>(null);
  const [gl] = useState(() => webglSupported());
  const [mapReady, setMapReady] = useState(false);

  useEffect(() => {
    document.title = `${t('partner.title')} – ${t('app.title')}`;
  }, [t]);

  const areas = useLoad(() => api.areas().catch(() => null), []);
  const agg = useLoad(() => api.aggregate({ category: aggCategory }), [aggCategory, aggTick]);
  const areaNames = useMemo(() => {
    const s = new Set<string>();
    for (const f of areas.data?.features ?? []) if (f.properties?.name) s.add(String(f.properties.name));
    for (const a of agg.data?.areas ?? []) s.add(a);
    return [...s].sort((a, b) => a.localeCompare(b, 'sv'));
  }, [areas.data, agg.data]);

  const areasRef = useRef(areas.data);
  areasRef.current = areas.data;

  function pick(la: number, lo: number) {
    setLat(la.toFixed(5));
    setLon(lo.toFixed(5));
    setBadCoords(false);
    const hit = (areasRef.current?.features ?? []).find((f) => pointInFeature(lo, la, f.geometry));
    if (hit?.properties?.name) setPlace(String(hit.properties.name));
    announce(t('partner.picked', { lat: la.toFixed(5), lon: lo.toFixed(5) }) + (hit?.properties?.name ? ` (${hit.properties.name})` : ''));
  }
  const pickRef = useRef(pick);
  pickRef.current = pick;

  useEffect(() => {
    if (!gl || !container.current) return;
    let gone = false;
    createMap(api, container.current, { center: [13.0, 55.6], zoom: 11, label: t('partner.whereHelp') })
      .then((m) => {
        if (gone) return m.remove();
        mapRef.current = m;
        m.addSource('areas', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        m.addLayer({ id: 'areas-line', type: 'line', source: 'areas', paint: { 'line-color': '#54278f', 'line-width': 1.5 } });
        m.getCanvas().style.cursor = 'crosshair';
        m.on('click', (e) => pickRef.current(e.lngLat.lat, e.lngLat.lng));
        setMapReady(true);
      })
      .catch(() => {});
    return () => {
      gone = true;
      mapRef.current?.remove();
      mapRef.current = null;
    };
  }, [gl]);

  useEffect(() => {
    const m = mapRef.current;
    if (!m || !areas.data) return;
    (m.getSource('areas') as maplibregl.GeoJSONSource | undefined)?.setData(areas.data);
    const b = boundsOf(coordsOf(areas.data));
    if (b) m.fitBounds(b, { duration: 0, padding: 10 });
  }, [areas.data, mapReady]);

  // The marker follows the coordinates, typed or clicked.
  useEffect(() => {
    const m = mapRef.current;
    const la = parseCoord(lat);
    const lo = parseCoord(lon);
    if (!m) return;
    if (la === null || lo === null || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    if (!marker.current) marker.current = new maplibregl.Marker({ color: '#b2182b' }).setLngLat([lo, la]).addTo(m);
    else marker.current.setLngLat([lo, la]);
  }, [lat, lon, mapReady]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setProblem(null);
    setSent(null);
    const la = parseCoord(lat);
    const lo = parseCoord(lon);
    if (la === null || lo === null || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      setBadCoords(true);
      document.getElementById('obs-lat')?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await api.observe({
        category,
        description: description.trim(),
        lat: la,
        lon: lo,
        observed_at: when,
        certainty,
        ...(place.trim() ? { place: place.trim() } : {}),
      });
      const msg = t('partner.sent', { id: String(r?.record_id ?? r?.entity_id ?? '') });
      setSent(msg);
      announce(msg);
      setDescription('');
      setAggCategory(category);
      setAggTick((x) => x + 1);
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="partner-view">
      <section aria-labelledby="obs-title">
        <h1 id="obs-title">{t('partner.title')}</h1>
        <p>{t('partner.intro')}</p>
        <form onSubmit={submit} className="obs-form" noValidate>
          <fieldset>
            <legend>{t('partner.what')}</legend>
            <div className="radios">
              {CATEGORIES.map((c) => (
                <label key={c}>
                  <input type="radio" name="category" value={c} checked={category === c} onChange={() => setCategory(c)} /> {categoryLabel(t, c)}
                </label>
              ))}
            </div>
            <div className="field">
              <label htmlFor="obs-desc">{t('partner.description')}</label>
              <textarea id="obs-desc" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
            </div>
          </fieldset>

          <fieldset>
            <legend>{t('partner.where')}</legend>
            <p id="where-help" className="help">
              {t('partner.whereHelp')}
            </p>
            {gl ? (
              <div ref={container} className="map small" data-testid="partner-map" />
            ) : (
              <p className="notice">{t('nowebgl')}</p>
            )}
            <div className="row">
              <div className="field">
                <label htmlFor="obs-lat">{t('partner.lat')}</label>
                <input
                  id="obs-lat"
                  inputMode="decimal"
                  value={lat}
                  aria-describedby={badCoords ? 'where-help coords-error' : 'where-help'}
                  aria-invalid={badCoords || undefined}
                  onChange={(e) => {
                    setLat(e.target.value);
                    setBadCoords(false);
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor="obs-lon">{t('partner.lon')}</label>
                <input
                  id="obs-lon"
                  inputMode="decimal"
                  value={lon}
                  aria-describedby={badCoords ? 'where-help coords-error' : 'where-help'}
                  aria-invalid={badCoords || undefined}
                  onChange={(e) => {
                    setLon(e.target.value);
                    setBadCoords(false);
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor="obs-place">{t('partner.place')}</label>
                <input id="obs-place" list="obs-places" value={place} onChange={(e) => setPlace(e.target.value)} />
                <datalist id="obs-places">
                  {areaNames.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </div>
            </div>
            {badCoords && (
              <p id="coords-error" className="field-error" role="alert">
                {t('partner.badCoords')}
              </p>
            )}
          </fieldset>

          <div className="row">
            <div className="field">
              <label htmlFor="obs-when">{t('partner.when')}</label>
              <input id="obs-when" type="datetime-local" value={when} required onChange={(e) => setWhen(e.target.value)} />
            </div>
            <fieldset className="inline">
              <legend>{t('partner.certainty')}</legend>
              {(['sure', 'probable', 'possible'] as const).map((c) => (
                <label key={c}>
                  <input type="radio" name="certainty" value={c} checked={certainty === c} onChange={() => setCertainty(c)} /> {t(`partner.${c}`)}
                </label>
              ))}
            </fieldset>
          </div>

          {problem && <ProblemMessage problem={problem} />}
          {sent && (
            <p className="success" data-testid="obs-sent">
              {sent}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('partner.sending') : t('partner.submit')}
          </button>
        </form>
      </section>

      <section aria-labelledby="agg-title">
        <h2 id="agg-title">{t('partner.aggregate')}</h2>
        <p className="help">{t('partner.aggregateHelp', { k: agg.data?.k ?? 5 })}</p>
        <div className="field">
          <label htmlFor="agg-category">{t('common.category')}</label>
          <select id="agg-category" value={aggCategory} onChange={(e) => setAggCategory(e.target.value)}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(t, c)}
              </option>
            ))}
          </select>
        </div>
        {agg.loading && <Loading />}
        {agg.error && <ProblemMessage problem={agg.error} onRetry={agg.reload} />}
        {agg.data && (
          <AggregateTableView t={agg.data} caption={`${t('partner.aggregate')} (${session?.org ?? ''})`} highlightArea={place || undefined} />
        )}
      </section>
    </div>
  );
}
