// Pure logic of the views (no DOM, no WebGL), kept apart so that unit tests can load it.

import type { EventRow, Graph as ApiGraph, GraphEdge, GraphNode, Statement } from './api';

/// The months (YYYY-MM) that the events' dates fall in, in order.
export function monthsOf(events: readonly Pick<EventRow, 'date'>[]): string[] {
  const s = new Set<string>();
  for (const e of events) if (e.date && /^\d{4}-\d{2}/.test(e.date)) s.add(e.date.slice(0, 7));
  return [...s].sort();
}

/// The first and last day of a month (YYYY-MM).
export function monthRange(m: string): { from: string; to: string } {
  const [y, mo] = m.split('-').map(Number);
  const last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return { from: `${m}-01`, to: `${m}-${String(last).padStart(2, '0')}` };
}

/// The events in an area: by the area's name at the start of the place ("Östervång, Havsstad").
export function inArea(e: Pick<EventRow, 'place'>, area: string): boolean {
  if (!area) return true;
  const first = (e.place ?? '').split(',')[0].trim().toLowerCase();
  return first === area.trim().toLowerCase();
}

/// Now as the value of a datetime-local input (local time, minutes).
export function localNow(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/// Parses a typed coordinate ("55,6" as well as "55.6").
export function parseCoord(s: string): number | null {
  const v = Number(s.trim().replace(',', '.'));
  return s.trim() !== '' && Number.isFinite(v) ? v : null;
}

export function communityColour(c: number | null | undefined): string {
  if (c === null || c === undefined || !Number.isFinite(c)) return '#9e9e9e';
  return PALETTE[Math.abs(Math.trunc(c)) % PALETTE.length];
}

export const edgeKey = (e: GraphEdge) => `${e.src}\u0000${e.dst}\u0000${e.prop}`;

export interface Net {
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
  hidden: Map<string, number>;
}

export const emptyNet = (): Net => ({ nodes: new Map(), edges: new Map(), hidden: new Map() });

/// `g` merged into `net`: measures and communities of nodes already there are kept unless the
/// new answer has them.
export function mergeGraph(net: Net, g: ApiGraph): { net: Net; added: number; addedEdges: number } {
  const nodes = new Map(net.nodes);
  const edges = new Map(net.edges);
  const hidden = new Map(net.hidden);
  let added = 0;
  let addedEdges = 0;
  for (const n of g.nodes ?? []) {
    const old = nodes.get(n.id);
    if (!old) added++;
    nodes.set(n.id, { ...old, ...n, community: n.community ?? old?.community, pagerank: n.pagerank ?? old?.pagerank });
  }
  for (const e of g.edges ?? []) {
    if (!edges.has(edgeKey(e))) addedEdges++;
    edges.set(edgeKey(e), e);
  }
  for (const s of g.summarised ?? []) hidden.set(s.id, s.hidden_neighbours);
  return { net: { nodes, edges, hidden }, added, addedEdges };
}

/// Each node's number of distinct neighbours over the edges gathered so far.
export function degrees(net: Net): Map<string, number> {
  const nb = new Map<string, Set<string>>();
  for (const e of net.edges.values()) {
    if (e.src === e.dst) continue;
    if (!nb.has(e.src)) nb.set(e.src, new Set());
    if (!nb.has(e.dst)) nb.set(e.dst, new Set());
    nb.get(e.src)!.add(e.dst);
    nb.get(e.dst)!.add(e.src);
  }
  return new Map([...nb].map(([k, v]) => [k, v.size]));
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#637939'];

/// The bounding box of points, padded; null for none.
export function boundsOf(points: readonly [number, number][]): [[number, number], [number, number]] | null {
  if (!points.length) return null;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) return null;
  const px = Math.max(0.01, (maxX - minX) * 0.05);
  const py = Math.max(0.01, (maxY - minY) * 0.05);
  return [
    [minX - px, minY - py],
    [maxX + px, maxY + py],
  ];
}

/// Every coordinate of a feature collection (for fitting the view).
export function coordsOf(fc: GeoJSON.FeatureCollection | null | undefined): [number, number][] {
  const out: [number, number][] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') out.push([c[0], c[1]]);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of fc?.features ?? []) {
    const g = f.geometry as { coordinates?: unknown } | null;
    if (g && 'coordinates' in g) walk(g.coordinates);
  }
  return out;
}

/// Whether a point lies inside a polygon or multipolygon (ray casting, holes respected).
export function pointInFeature(lon: number, lat: number, geom: GeoJSON.Geometry | null): boolean {
  if (!geom) return false;
  const inRing = (ring: number[][]) => {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
  const inPoly = (rings: number[][][]) => rings.length > 0 && inRing(rings[0]) && !rings.slice(1).some(inRing);
  if (geom.type === 'Polygon') return inPoly(geom.coordinates as number[][][]);
  if (geom.type === 'MultiPolygon') return (geom.coordinates as number[][][][]).some(inPoly);
  return false;
}

export const DATE = /^\d{4}(-\d{2}(-\d{2}([T ][\d:.]+Z?)?)?)?$/;

/// The statements whose value is a date, oldest first.
export function timeline(statements: readonly Statement[]): Statement[] {
  return statements
    .filter((s) => DATE.test(s.value) && (/date|time|At$|^(birth|death|start|end)/i.test(s.prop) || s.value.length >= 7))
    .sort((a, b) => a.value.localeCompare(b.value) || a.prop.localeCompare(b.prop));
}

/// A policy field as text: a grading may come as "B2" or as {"source": "B", "info": 2}.
export function policyText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('source' in o || 'info' in o) return `${o.source ?? '?'}${o.info ?? '?'}`;
    return JSON.stringify(v);
  }
  return String(v);
}

export interface Contribution {
  comparison: string;
  level: string;
  left: string;
  right: string;
  weight: number;
}

/// The waterfall of a proposal's explanation: the server sends {text, detail: {prior_weight,
/// contributions}}; the bare detail is read as well.
export function contributions(x: unknown): { prior?: number; rows: Contribution[]; text?: string } | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as { text?: unknown; detail?: unknown };
  const e = (o.detail && typeof o.detail === 'object' ? o.detail : x) as { prior_weight?: number; contributions?: unknown };
  if (!Array.isArray(e.contributions)) return null;
  return { prior: e.prior_weight, rows: e.contributions as Contribution[], text: typeof o.text === 'string' ? o.text : undefined };
}

/// Statements that say the same (property, value, organisation, dataset, grading, handling,
/// category) from several records, as one row with its sources; sorted by property and value.
export function groupStatements(statements: readonly Statement[]): { first: Statement; sources: Statement[] }[] {
  const groups = new Map<string, { first: Statement; sources: Statement[] }>();
  for (const s of statements) {
    const p = s.policy ?? ({} as Statement['policy']);
    const key = JSON.stringify([s.prop, s.value, s.valid, p.org, p.dataset, policyText(p.grading), p.handling, p.handling_note, p.subject_category]);
    const g = groups.get(key);
    if (g) g.sources.push(s);
    else groups.set(key, { first: s, sources: [s] });
  }
  return [...groups.values()].sort((a, b) => a.first.prop.localeCompare(b.first.prop) || a.first.value.localeCompare(b.first.value));
}
