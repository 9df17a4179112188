// The base map: offline by default (the world's countries from the npm package world-atlas,
// drawn as a GeoJSON layer on a blank style: no tile server, nothing fetched at run time), or a
// deployment's own style when one is configured — at build time with VITE_MAP_STYLE_URL, or at
// run time by the server's GET /api/v1/config {"map_style": ...}.

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
      (c) => c?.map_style || c?.map_style_url || null,
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

