// The base map: offline by default (the world's countries from the npm package world-atlas,
// drawn as a GeoJSON layer on a blank style: no tile server, nothing fetched at run time), or a
// deployment's own style when one is configured — at build time with VITE_MAP_STYLE_URL, or at
// run time by the server's GET /api/v1/config {"map_style_url": ...}.

import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Api } from '../api';

export { maplibregl };

export function webglSupported(): boolean {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') || c.getContext('webgl'));
  } catch {
    return false;
  }
}

let configured: Promise<string | null> | null = null;

/// The configured style URL, if any (asked once per page).
export function styleUrl(api: Api): Promise<string | null> {
  const built = import.meta.env.VITE_MAP_STYLE_URL as string | undefined;
  if (built) return Promise.resolve(built);
  if (!configured)
    configured = api.config().then(
      (c) => (c && typeof c.map_style_url === 'string' && c.map_style_url ? c.map_style_url : null),
      () => null,
    );
  return configured;
}

let countries: Promise<GeoJSON.FeatureCollection> | null = null;

function loadCountries(): Promise<GeoJSON.FeatureCollection> {
  if (!countries)
    countries = import('world-atlas/countries-50m.json').then((m) => {
      const topo = (m.default ?? m) as unknown as Topology<{ countries: GeometryCollection }>;
      return feature(topo, topo.objects.countries) as unknown as GeoJSON.FeatureCollection;
    });
  return countries;
}

function blankStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dbe9f4' } }],
  };
}

/// A map in `container` around `center`; resolves once the base map is drawn.
export async function createMap(
  api: Api,
  container: HTMLElement,
  opts: { center: [number, number]; zoom: number; label: string },
): Promise<maplibregl.Map> {
  const url = await styleUrl(api);
  const map = new maplibregl.Map({
    container,
    style: url ?? blankStyle(),
    center: opts.center,
    zoom: opts.zoom,
    attributionControl: false,
    // Keyboard panning and zooming stay on (arrows, +/-) once the map has focus.
    keyboard: true,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  const canvas = map.getCanvas();
  canvas.setAttribute('aria-label', opts.label);
  canvas.setAttribute('role', 'application');
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  if (!url) {
    const fc = await loadCountries();
    map.addSource('countries', { type: 'geojson', data: fc });
    map.addLayer({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } });
    map.addLayer({ id: 'borders', type: 'line', source: 'countries', paint: { 'line-color': '#8a8a8a', 'line-width': 0.8 } });
  }
  return map;
}

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
