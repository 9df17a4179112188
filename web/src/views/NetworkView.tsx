// The network canvas: start from an entity, expand neighbours by click or keyboard, filter by
// link kind and period, colour by community, size by a measure, find the path between two
// entities. High-degree nodes come back summarised: the count of what is hidden is shown.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import Graph from 'graphology';
import Sigma from 'sigma';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { useT } from '../i18n';
import { useApp, asProblem } from '../state';
import type { Problem } from '../api';
import { communityColour, degrees, edgeKey, emptyNet, mergeGraph, type Net } from '../logic';
import { Loading, ProblemMessage } from '../components/ProblemMessage';
import { webglSupported } from '../map/basemap';

const PATH_COLOUR = '#000000';

export default function NetworkView() {
  const { t, num } = useT();
  const { api, announce } = useApp();
  const [params, setParams] = useSearchParams();
  const start = params.get('start') ?? '';
  const [startDraft, setStartDraft] = useState(start);
  const [prop, setProp] = useState(params.get('prop') ?? '');
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');
  const [sizeBy, setSizeBy] = useState<'degree' | 'pagerank'>('degree');
  const [net, setNet] = useState<Net>(emptyNet);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [pathFrom, setPathFrom] = useState('');
  const [pathTo, setPathTo] = useState('');
  const [path, setPath] = useState<{ ids: string[]; edges: Set<string> } | null>(null);
  const [pathMsg, setPathMsg] = useState('');
  const [props, setProps] = useState<string[]>([]);
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma | null>(null);
  const graph = useRef(new Graph({ multi: true, type: 'directed' }));
  const [gl] = useState(() => webglSupported());
  const netRef = useRef(net);
  netRef.current = net;
  const filter = useMemo(() => ({ prop: params.get('prop') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' }), [params]);

  useEffect(() => {
    document.title = `${t('network.title')} – ${t('app.title')}`;
  }, [t]);

  // Communities and measures for the nodes on the canvas.
  const measure = useCallback(
    async (n: Net) => {
      if (n.nodes.size < 2) return n;
      try {
        const g = await api.network({ ids: [...n.nodes.keys()], prop: filter.prop || undefined, from: filter.from || undefined, to: filter.to || undefined });
        const nodes = new Map(n.nodes);
        for (const m of g.nodes ?? []) {
          const old = nodes.get(m.id);
          if (old) nodes.set(m.id, { ...old, community: m.community ?? old.community, pagerank: m.pagerank ?? old.pagerank });
        }
        return { ...n, nodes };
      } catch {
        return n; // the canvas works without them
      }
    },
    [api, filter],
  );

  const expand = useCallback(
    async (id: string, base?: Net) => {
      setBusy(true);
      setProblem(null);
      try {
        const g = await api.neighbours(id, { prop: filter.prop, from: filter.from, to: filter.to, limit: 100 });
        const r = mergeGraph(base ?? netRef.current, g);
        const measured = await measure(r.net);
        setNet(measured);
        setExpanded((xs) => (xs.includes(id) ? xs : [...xs, id]));
        setProps((ps) => [...new Set([...ps, ...(g.edges ?? []).map((e) => e.prop)])].sort());
        announce(t('network.added', { n: r.added, e: r.addedEdges }));
        return measured;
      } catch (e) {
        setProblem(asProblem(e));
        return base ?? netRef.current;
      } finally {
        setBusy(false);
      }
    },
    [api, filter, measure, announce, t],
  );

  const expandRef = useRef(expand);
  expandRef.current = expand;

  // A new start or new filters: begin again from the start (and the nodes expanded before).
  useEffect(() => {
    setStartDraft(start);
    if (!start) {
      setNet(emptyNet());
      setExpanded([]);
      return;
    }
    const again = expanded.filter((x) => x !== start);
    setNet(emptyNet());
    setExpanded([]);
    setPath(null);
    graph.current.clear();
    (async () => {
      let n = await expand(start, emptyNet());
      for (const x of again) if (n.nodes.has(x)) n = await expand(x, n);
    })();
  }, [start, filter]);

  // The canvas, once.
  useEffect(() => {
    if (!gl || !container.current) return;
    const s = new Sigma(graph.current, container.current, {
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 6,
      defaultEdgeType: 'arrow',
      allowInvalidContainer: true,
    });
    s.on('clickNode', ({ node }) => {
      setSelected(node);
      void expandRef.current(node);
    });
    sigma.current = s;
    return () => {
      s.kill();
      sigma.current = null;
    };
  }, [gl]);

  // The degree among the nodes seen so far (the API's is within each answer).
  const localDegree = useMemo(() => degrees(net), [net]);

  // The data onto the canvas: new nodes near a neighbour, then a short ForceAtlas2 run.
  useEffect(() => {
    const g = graph.current;
    const maxPr = Math.max(1e-9, ...[...net.nodes.values()].map((n) => n.pagerank ?? 0));
    for (const id of [...g.nodes()]) if (!net.nodes.has(id)) g.dropNode(id);
    let placed = 0;
    for (const n of net.nodes.values()) {
      const hidden = net.hidden.get(n.id);
      const deg = Math.max(n.degree ?? 0, localDegree.get(n.id) ?? 0);
      const size = sizeBy === 'pagerank' && n.pagerank != null ? 4 + 16 * Math.sqrt(n.pagerank / maxPr) : 4 + 2 * Math.sqrt(deg);
      const onPath = path?.ids.includes(n.id);
      const attrs = {
        label: `${n.caption || n.id}${hidden ? ` (+${hidden})` : ''}`,
        size: Math.min(size, 24),
        color: onPath ? PATH_COLOUR : communityColour(n.community),
        highlighted: selected === n.id,
      };
      if (g.hasNode(n.id)) g.mergeNodeAttributes(n.id, attrs);
      else {
        const near = [...net.edges.values()].find((e) => (e.src === n.id && g.hasNode(e.dst)) || (e.dst === n.id && g.hasNode(e.src)));
        const anchor = near ? (near.src === n.id ? near.dst : near.src) : null;
        const a = anchor ? g.getNodeAttributes(anchor) : { x: 0, y: 0 };
        const angle = Math.random() * 2 * Math.PI;
        g.addNode(n.id, { ...attrs, x: (a.x as number) + Math.cos(angle), y: (a.y as number) + Math.sin(angle) });
        placed++;
      }
    }
    g.clearEdges();
    for (const e of net.edges.values()) {
      if (!g.hasNode(e.src) || !g.hasNode(e.dst)) continue;
      const onPath = path?.edges.has(edgeKey(e));
      g.addEdgeWithKey(edgeKey(e), e.src, e.dst, {
        size: onPath ? 3 : Math.min(1 + Math.log2(1 + (e.count ?? 1)), 5),
        color: onPath ? PATH_COLOUR : '#b0b0b0',
        label: e.prop,
      });
    }
    if (placed > 0 && g.order > 1) forceAtlas2.assign(g, { iterations: 60, settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 500 } });
    sigma.current?.refresh();
  }, [net, sizeBy, path, selected, localDegree]);

  async function findPath(e: React.FormEvent) {
    e.preventDefault();
    if (!pathFrom || !pathTo) return;
    setPathMsg('');
    try {
      const p = await api.path(pathFrom.trim(), pathTo.trim(), filter.prop || undefined);
      const r = mergeGraph(netRef.current, { nodes: p.path, edges: p.edges, summarised: [] });
      setNet(r.net);
      setPath({ ids: p.path.map((n) => n.id), edges: new Set(p.edges.map(edgeKey)) });
      const msg = t('network.pathFound', { n: Math.max(0, p.path.length - 1) });
      setPathMsg(msg);
      announce(msg);
    } catch (err) {
      const pr = asProblem(err);
      const msg = pr.kind === 'not-found' ? t('network.pathNone') : '';
      setPath(null);
      setPathMsg(msg);
      if (msg) announce(msg);
      else setProblem(pr);
    }
  }

  function applyStart(e: React.FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams(params);
    const put = (k: string, v: string) => (v ? next.set(k, v) : next.delete(k));
    put('start', startDraft.trim());
    put('prop', prop);
    put('from', from);
    put('to', to);
    setParams(next);
  }

  const nodes = [...net.nodes.values()]
    .map((n) => ({ ...n, degree: Math.max(n.degree ?? 0, localDegree.get(n.id) ?? 0) }))
    .sort((a, b) => b.degree - a.degree || (b.pagerank ?? 0) - (a.pagerank ?? 0));
  const edges = [...net.edges.values()];

  return (
    <section aria-labelledby="network-title" className="network-view">
      <h1 id="network-title">{t('network.title')}</h1>
      <form className="toolbar" onSubmit={applyStart}>
        <div className="field">
          <label htmlFor="net-start">{t('network.start')}</label>
          <input id="net-start" value={startDraft} onChange={(e) => setStartDraft(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="net-prop">{t('network.prop')}</label>
          <select id="net-prop" value={prop} onChange={(e) => setProp(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {[...new Set([...props, ...(prop ? [prop] : [])])].map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="net-from">{t('common.from')}</label>
          <input id="net-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="net-to">{t('common.to')}</label>
          <input id="net-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <button type="submit" className="primary">
          {t('network.load')}
        </button>
        <div className="field">
          <label htmlFor="net-size">{t('network.sizeBy')}</label>
          <select id="net-size" value={sizeBy} onChange={(e) => setSizeBy(e.target.value as 'degree' | 'pagerank')}>
            <option value="degree">{t('network.degree')}</option>
            <option value="pagerank">{t('network.pagerank')}</option>
          </select>
        </div>
      </form>

      {!start && <p>{t('network.empty')}</p>}
      {problem && <ProblemMessage problem={problem} />}
      {busy && <Loading />}

      <div className="network-layout">
        <div className="canvas-box">
          {gl ? (
            <div
              ref={container}
              className="sigma"
              data-testid="sigma"
              role="img"
              aria-label={t('network.canvas', { nodes: net.nodes.size, edges: net.edges.size })}
            />
          ) : (
            <p className="notice" role="note">
              {t('nowebgl')}
            </p>
          )}
          <p className="help">{t('network.help')}</p>
        </div>

        <div className="network-side">
          <form className="path-form" onSubmit={findPath}>
            <div className="field">
              <label htmlFor="path-from">{t('network.pathFrom')}</label>
              <input id="path-from" list="net-ids" value={pathFrom} onChange={(e) => setPathFrom(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="path-to">{t('network.pathTo')}</label>
              <input id="path-to" list="net-ids" value={pathTo} onChange={(e) => setPathTo(e.target.value)} />
            </div>
            <datalist id="net-ids">
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.caption}
                </option>
              ))}
            </datalist>
            <button type="submit">{t('network.findPath')}</button>
            {pathMsg && <p data-testid="path-result">{pathMsg}</p>}
          </form>
          {selected && net.nodes.get(selected) && (
            <p>
              {t('network.selected', { caption: net.nodes.get(selected)!.caption || selected })} —{' '}
              <Link to={`/entity/${encodeURIComponent(selected)}`}>{t('common.open')}</Link>
            </p>
          )}
        </div>
      </div>

      {net.nodes.size > 0 && (
        <>
          <h2 id="nodes-title">
            {t('network.nodes')} ({net.nodes.size})
          </h2>
          <div className="table-wrap" role="region" aria-labelledby="nodes-title" tabIndex={0}>
            <table className="nodes-table" data-testid="nodes-table">
              <thead>
                <tr>
                  <th scope="col">{t('common.id')}</th>
                  <th scope="col">{t('common.schema')}</th>
                  <th scope="col">{t('network.degree')}</th>
                  <th scope="col">{t('network.pagerank')}</th>
                  <th scope="col">{t('network.community')}</th>
                  <th scope="col">{t('network.hidden', { n: '' }).trim()}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('network.expandShort')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {nodes.map((n) => (
                  <tr key={n.id} aria-current={selected === n.id || undefined}>
                    <th scope="row">
                      <Link to={`/entity/${encodeURIComponent(n.id)}`}>{n.caption || n.id}</Link>
                    </th>
                    <td>{n.schema}</td>
                    <td>{n.degree}</td>
                    <td>{n.pagerank != null ? num(n.pagerank, 4) : '–'}</td>
                    <td>
                      {n.community != null ? (
                        <>
                          <span className="swatch" style={{ background: communityColour(n.community) }} aria-hidden="true" /> {n.community}
                        </>
                      ) : (
                        '–'
                      )}
                    </td>
                    <td>{net.hidden.get(n.id) ?? ''}</td>
                    <td>
                      <button
                        type="button"
                        disabled={busy || expanded.includes(n.id)}
                        aria-label={t('network.expand', { caption: n.caption || n.id })}
                        onClick={() => {
                          setSelected(n.id);
                          void expand(n.id);
                        }}
                      >
                        {t('network.expandShort')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <details>
            <summary>
              {t('network.edges')} ({edges.length})
            </summary>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('common.from')}</th>
                  <th scope="col">{t('common.to')}</th>
                  <th scope="col">{t('network.prop')}</th>
                  <th scope="col">{t('common.count')}</th>
                  <th scope="col">{t('common.date')}</th>
                </tr>
              </thead>
              <tbody>
                {edges.map((e) => (
                  <tr key={edgeKey(e)}>
                    <td>{net.nodes.get(e.src)?.caption || e.src}</td>
                    <td>{net.nodes.get(e.dst)?.caption || e.dst}</td>
                    <td>{e.prop}</td>
                    <td>{e.count}</td>
                    <td>{[e.first, e.last].filter(Boolean).join(' – ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
