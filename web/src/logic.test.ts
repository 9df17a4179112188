import { describe, expect, it } from 'vitest';
import { homeFor, normaliseRole, viewsFor } from './roles';
import { groupStatements, contributions, policyText, boundsOf, communityColour, inArea, localNow, mergeGraph, monthRange, monthsOf, parseCoord, pointInFeature, timeline } from './logic';

describe('roles', () => {
  it('shows partners the partner page only, auditors the audit log only', () => {
    expect([...viewsFor(['partner'])]).toEqual(['partner']);
    expect([...viewsFor(['auditor'])]).toEqual(['audit']);
    expect(homeFor(['partner'])).toBe('partner');
    expect(homeFor(['auditor'])).toBe('audit');
  });
  it('gives analysts everything but the audit log', () => {
    const v = viewsFor(['analyst']);
    for (const x of ['search', 'entity', 'network', 'map', 'dashboard', 'review'] as const) expect(v.has(x)).toBe(true);
    expect(v.has('audit')).toBe(false);
  });
  it('reads area-officer as area_officer: map, dashboard, search, entity', () => {
    expect(normaliseRole('area-officer')).toBe('area_officer');
    expect([...viewsFor(['area-officer'])].sort()).toEqual(['dashboard', 'entity', 'map', 'search']);
    expect(homeFor([])).toBeNull();
  });
});

describe('months', () => {
  it('lists the months of the events and the days of a month', () => {
    expect(monthsOf([{ date: '2026-02-01T10:00' }, { date: '2026-01-31' }, { date: null }, { date: '2026-02-09' }])).toEqual(['2026-01', '2026-02']);
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('partner form', () => {
  it('reads decimal commas and refuses empty coordinates', () => {
    expect(parseCoord('55,6051')).toBeCloseTo(55.6051);
    expect(parseCoord(' 13.0 ')).toBe(13);
    expect(parseCoord('')).toBeNull();
    expect(parseCoord('abc')).toBeNull();
  });
  it('writes now as a datetime-local value', () => {
    expect(localNow(new Date(2026, 10, 28, 21, 30))).toBe('2026-11-28T21:30');
  });
  it('finds the district a click falls in', () => {
    const box: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[13, 55.5], [13.1, 55.5], [13.1, 55.6], [13, 55.6], [13, 55.5]]] };
    expect(pointInFeature(13.05, 55.55, box)).toBe(true);
    expect(pointInFeature(13.2, 55.55, box)).toBe(false);
    expect(boundsOf([])).toBeNull();
  });
  it('matches events to an area by the first part of the place', () => {
    expect(inArea({ place: 'Östervång, Havsstad' }, 'östervång')).toBe(true);
    expect(inArea({ place: 'Kvarnby' }, 'Östervång')).toBe(false);
    expect(inArea({ place: null }, '')).toBe(true);
  });
});

describe('network', () => {
  it('merges answers without losing measures and counts what is new', () => {
    const a = mergeGraph(
      { nodes: new Map(), edges: new Map(), hidden: new Map() },
      { nodes: [{ id: 'x', schema: 'Person', caption: 'X', degree: 2, community: 1, pagerank: 0.5 }], edges: [], summarised: [{ id: 'x', hidden_neighbours: 40 }] },
    );
    const b = mergeGraph(a.net, {
      nodes: [
        { id: 'x', schema: 'Person', caption: 'X', degree: 2 },
        { id: 'y', schema: 'Phone', caption: 'Y', degree: 1 },
      ],
      edges: [{ src: 'x', dst: 'y', prop: 'phone', count: 1 }],
      summarised: [],
    });
    expect(b.added).toBe(1);
    expect(b.addedEdges).toBe(1);
    expect(b.net.nodes.get('x')?.community).toBe(1);
    expect(b.net.hidden.get('x')).toBe(40);
    expect(communityColour(1)).not.toBe(communityColour(2));
    expect(communityColour(undefined)).toBe('#9e9e9e');
  });
});

describe('entity timeline', () => {
  it('keeps dated values, oldest first', () => {
    const st = (prop: string, value: string) => ({ entity_id: 'e', schema: 'Person', prop, value, record_id: '1', policy: { org: 'o', dataset: 'd' } });
    const got = timeline([st('name', 'Anna'), st('date', '2026-03-01'), st('birthDate', '1990'), st('createdAt', '2026-01-02T10:00:00')]);
    expect(got.map((s) => s.value)).toEqual(['1990', '2026-01-02T10:00:00', '2026-03-01']);
  });
});

describe('policy fields', () => {
  it('writes a grading object as the 4x4 code', () => {
    expect(policyText({ source: 'B', info: 2 })).toBe('B2');
    expect(policyText('A1')).toBe('A1');
    expect(policyText(null)).toBe('–');
  });
});

describe('review explanations', () => {
  it('reads the waterfall from {text, detail} and from a bare detail', () => {
    const detail = { prior_weight: -9.6, contributions: [{ comparison: 'first_name', level: 'exact', left: 'daniel', right: 'daniel', weight: 5.4 }] };
    expect(contributions({ text: 'waterfall', detail })).toMatchObject({ prior: -9.6, text: 'waterfall', rows: [{ comparison: 'first_name' }] });
    expect(contributions(detail)?.rows).toHaveLength(1);
    expect(contributions('just text')).toBeNull();
  });
});

describe('statements', () => {
  it('groups the same value from several records into one row with its sources', () => {
    const st = (value: string, record_id: number, grading = 'B2') => ({ entity_id: 'e', schema: 'UserAccount', prop: 'name', value, record_id, policy: { org: 'NOA', dataset: 'd', grading } });
    const g = groupStatements([st('Ella K', 1), st('Ella K', 2), st('Ella K', 3, 'A1'), st('Alice', 4)]);
    expect(g.map((x) => [x.first.value, x.sources.length])).toEqual([['Alice', 1], ['Ella K', 2], ['Ella K', 1]]);
  });
});
