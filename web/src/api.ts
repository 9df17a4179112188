// The client of the HTTP API (docs/api.md): JSON in and out, the session cookie, the CSRF
// header on every write, the purpose header on every data route, and RFC 9457 problems turned
// into `Problem` errors the views can show.

export interface Session {
  user: string;
  org: string;
  roles: string[];
  compartments: string[];
  csrf_token: string;
  purpose: string | null;
}

export interface Hit {
  id: string;
  entity_id: string;
  schema: string;
  dataset: string;
  org: string;
  record_id: string;
  title: string;
  score: number;
  snippet: string;
  highlights: [number, number][];
}

export type Facet = [string, number][];

export interface SearchAnswer {
  total_documents: number;
  /// The facets count the first this many entities found.
  facets_over?: number;
  results: Hit[];
  facets: { schema?: Facet; dataset?: Facet; org?: Facet; [k: string]: Facet | undefined };
}

export interface Policy {
  org: string;
  dataset: string;
  /// "B2" in docs/api.md; the server sends {"source": "B", "info": 2}.
  grading?: string | { source: string; info: number } | null;
  handling?: string | null;
  handling_note?: string | null;
  subject_category?: string | null;
  purpose?: string | null;
  [k: string]: unknown;
}

export interface Statement {
  entity_id: string;
  schema: string;
  prop: string;
  value: string;
  original?: string | null;
  valid?: boolean;
  record_id: string | number;
  source?: string | null;
  line?: number | null;
  registered_at?: string | null;
  policy: Policy;
}

export interface Reference {
  entity_id: string;
  schema: string;
  prop: string;
  target: string;
}

export interface Entity {
  id: string;
  caption: string;
  schema: string;
  members: string[];
  statements: Statement[];
  referrers: Reference[];
  shared_keys: Reference[];
}

export interface GraphNode {
  id: string;
  schema: string;
  caption: string;
  degree: number;
  community?: number | null;
  pagerank?: number | null;
  [k: string]: unknown;
}

export interface GraphEdge {
  src: string;
  dst: string;
  prop: string;
  count: number;
  first?: string | null;
  last?: string | null;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  summarised: { id: string; hidden_neighbours: number }[];
}

export interface PathAnswer {
  path: GraphNode[];
  edges: GraphEdge[];
}

export interface EventRow {
  entity_id: string;
  schema: string;
  lat: number;
  lon: number;
  date: string | null;
  category: string | null;
  place: string | null;
}

export interface Trends {
  months: string[];
  series: { category: string; counts: number[] }[];
  alerts: { category: string; month: string; count: number; expected: number }[];
}

export interface AggregateTable {
  k: number;
  category: string | null;
  areas: string[];
  months: string[];
  table: {
    cells: (number | null)[][];
    row_totals: (number | null)[];
    col_totals: (number | null)[];
    grand_total: number | null;
  };
}

export interface Proposal {
  id: string | number;
  left: GraphNode;
  right: GraphNode;
  probability: number;
  weight: number;
  explanation: unknown;
}

export interface AuditEntry {
  seq: number;
  at: string;
  user: string;
  org: string;
  op: string;
  purpose: string;
  detail: string;
  ids: string[];
  recipients?: string[] | null;
}

export interface Observation {
  category: string;
  description: string;
  lat: number;
  lon: number;
  observed_at: string;
  certainty: 'sure' | 'probable' | 'possible';
  place?: string;
}

/// An RFC 9457 problem, or what we make of an answer that is not one.
export class Problem extends Error {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(p: { type?: string; title?: string; status: number; detail?: string; retryAfter?: number }) {
    super(p.detail ?? p.title ?? `HTTP ${p.status}`);
    this.name = 'Problem';
    this.type = p.type ?? 'about:blank';
    this.title = p.title ?? `HTTP ${p.status}`;
    this.status = p.status;
    this.detail = p.detail;
    this.retryAfter = p.retryAfter;
  }

  /// The last path segment of the type (`purpose-required`), or one derived from the status.
  get kind(): string {
    const last = this.type.split('/').pop() ?? '';
    if (last && last !== 'about:blank') return last;
    return statusKind(this.status);
  }
}

export function statusKind(status: number): string {
  switch (status) {
    case 0:
      return 'network';
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 413:
      return 'payload-too-large';
    case 422:
      return 'unprocessable';
    case 428:
      return 'purpose-required';
    case 429:
      return 'rate-limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'unknown';
  }
}

/// Reads a failed response into a Problem, whether or not its body is a problem document.
export async function problemFrom(res: Response): Promise<Problem> {
  const retry = res.headers.get('Retry-After');
  const retryAfter = retry && /^\d+$/.test(retry) ? Number(retry) : undefined;
  let body: unknown = undefined;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    return new Problem({
      type: typeof b.type === 'string' ? b.type : undefined,
      title: typeof b.title === 'string' ? b.title : undefined,
      status: typeof b.status === 'number' ? b.status : res.status,
      detail: typeof b.detail === 'string' ? b.detail : typeof b.error === 'string' ? b.error : undefined,
      retryAfter,
    });
  }
  // Not JSON (a proxy's HTML page, an empty body): keep the status, never the markup.
  return new Problem({ status: res.status, title: res.statusText || undefined, retryAfter });
}

export interface ClientHooks {
  /// The session's CSRF token, sent on every request that is not GET or HEAD.
  csrf(): string | null;
  /// The current purpose, sent as X-Purpose on every request.
  purpose(): string | null;
  /// Asked when the API answers 428: resolves once a purpose is set (the request is then
  /// retried once), rejects when the user declines.
  needPurpose(): Promise<void>;
  /// Told when the API answers 401 for a request other than the login itself.
  unauthorized(): void;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export class Api {
  constructor(
    private hooks: ClientHooks,
    private base = '/api/v1',
    private fetcher: typeof fetch = (...a) => fetch(...a),
  ) {}

  async request<T>(method: string, path: string, opts: { query?: Query; body?: unknown; retried?: boolean } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && method !== 'HEAD') {
      const t = this.hooks.csrf();
      if (t) headers['X-CSRF-Token'] = t;
    }
    const purpose = this.hooks.purpose();
    if (purpose) headers['X-Purpose'] = encodeURIComponent(purpose);
    let res: Response;
    try {
      res = await this.fetcher(this.base + path + queryString(opts.query), {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
    } catch (e) {
      throw new Problem({ status: 0, title: 'Network error', detail: e instanceof Error ? e.message : String(e) });
    }
    if (!res.ok) {
      const p = await problemFrom(res);
      if (p.kind === 'purpose-required' && !opts.retried) {
        await this.hooks.needPurpose();
        return this.request<T>(method, path, { ...opts, retried: true });
      }
      if (p.status === 401 && path !== '/session') this.hooks.unauthorized();
      throw p;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Problem({ status: res.status, title: 'Bad answer', detail: 'the server answered with something that is not JSON' });
    }
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>('GET', path, { query });
  }

  // Sessions
  session() {
    return this.get<Session>('/session');
  }
  login(user: string, password: string) {
    return this.request<Session>('POST', '/session', { body: { user, password } });
  }
  logout() {
    return this.request<void>('DELETE', '/session');
  }
  setPurpose(purpose: string) {
    return this.request<Session>('PUT', '/session/purpose', { body: { purpose }, retried: true });
  }
  config() {
    return this.get<{ map_style?: string | null; map_style_url?: string | null; version?: string; min_cell?: number }>('/config');
  }

  // Reading
  stats() {
    return this.get<{ batches: number; records: number; entities: number }>('/stats');
  }
  search(q: Query) {
    return this.get<SearchAnswer>('/search', q);
  }
  entity(id: string) {
    return this.get<Entity>(`/entities/${encodeURIComponent(id)}`);
  }
  neighbours(id: string, q: Query = {}) {
    return this.get<Graph>(`/entities/${encodeURIComponent(id)}/neighbours`, q);
  }
  network(body: { ids: string[]; prop?: string; from?: string; to?: string }) {
    return this.request<Graph>('POST', '/network', { body });
  }
  path(from: string, to: string, prop?: string) {
    return this.get<PathAnswer>('/path', { from, to, prop });
  }
  events(q: Query) {
    return this.get<{ events: EventRow[]; truncated: boolean }>('/events', q);
  }
  hotspots(q: Query) {
    return this.get<GeoJSON.FeatureCollection>('/hotspots', q);
  }
  emerging(q: Query) {
    return this.get<GeoJSON.FeatureCollection>('/emerging', q);
  }
  areas(q: Query = {}) {
    return this.get<GeoJSON.FeatureCollection>('/areas', q);
  }
  trends(q: Query) {
    return this.get<Trends>('/trends', q);
  }
  aggregate(q: Query) {
    return this.get<AggregateTable>('/aggregate', q);
  }
  review(limit = 20) {
    return this.get<{ proposals: Proposal[] }>('/review', { limit });
  }
  audit(q: Query) {
    return this.get<{ entries: AuditEntry[] }>('/audit', q);
  }
  auditVerify() {
    return this.get<{ ok: boolean; entries: number; broken: unknown }>('/audit/verify');
  }

  // Writing
  observe(o: Observation) {
    return this.request<{ entity_id: string; record_id?: string | number; batch_id?: string | number }>('POST', '/observations', { body: o });
  }
  judge(left: string, right: string, verdict: 'same' | 'not_same' | 'unsure') {
    return this.request<{ judgement: number; canonical: string }>('POST', '/review/judgements', {
      body: { left, right, verdict },
    });
  }
  undo(id: number) {
    return this.request<void>('POST', `/judgements/${id}/undo`);
  }
}
