import { describe, expect, it, vi } from 'vitest';
import { Api, Problem, problemFrom, queryString, type ClientHooks } from './api';

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

function hooks(over: Partial<ClientHooks> = {}): ClientHooks {
  return {
    csrf: () => 'tok',
    purpose: () => 'ärende 5000-K123-26',
    needPurpose: () => Promise.reject(new Error('declined')),
    unauthorized: () => {},
    ...over,
  };
}

describe('problemFrom', () => {
  it('reads an RFC 9457 problem', async () => {
    const p = await problemFrom(
      json(404, { type: 'https://lagesbild.example/problems/not-found', title: 'Not found', status: 404, detail: 'no entity "x"' }),
    );
    expect(p).toBeInstanceOf(Problem);
    expect(p.kind).toBe('not-found');
    expect(p.status).toBe(404);
    expect(p.detail).toBe('no entity "x"');
  });

  it('keeps Retry-After of a 429', async () => {
    const p = await problemFrom(json(429, { type: 'https://lagesbild.example/problems/rate-limited', status: 429 }, { 'Retry-After': '3' }));
    expect(p.kind).toBe('rate-limited');
    expect(p.retryAfter).toBe(3);
  });

  it('makes a problem of an HTML error page without showing its markup', async () => {
    const p = await problemFrom(new Response('<html><body>Bad Gateway</body></html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(p.kind).toBe('internal');
    expect(p.detail).toBeUndefined();
    expect(p.title).toBe('Bad Gateway');
  });

  it('derives the kind from the status for about:blank', async () => {
    expect((await problemFrom(json(403, { type: 'about:blank', status: 403 }))).kind).toBe('forbidden');
    expect((await problemFrom(json(401, ''))).kind).toBe('unauthorized');
  });
});

describe('Api', () => {
  it('sends the CSRF token on writes only, the purpose percent-encoded, and same-origin credentials', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const f = vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response('{"ok":true}', { status: 200 });
    });
    const api = new Api(hooks(), '/api/v1', f as unknown as typeof fetch);
    await api.search({ q: 'säljer swish', schema: '', limit: 5 });
    await api.judge('a', 'b', 'same');
    const [get, post] = calls;
    expect(get.url).toBe('/api/v1/search?q=s%C3%A4ljer+swish&limit=5');
    const gh = get.init.headers as Record<string, string>;
    expect(gh['X-CSRF-Token']).toBeUndefined();
    expect(gh['X-Purpose']).toBe(encodeURIComponent('ärende 5000-K123-26'));
    expect(get.init.credentials).toBe('same-origin');
    const ph = post.init.headers as Record<string, string>;
    expect(ph['X-CSRF-Token']).toBe('tok');
    expect(post.init.method).toBe('POST');
    expect(JSON.parse(String(post.init.body))).toEqual({ left: 'a', right: 'b', verdict: 'same' });
  });

  it('asks for a purpose on 428 and retries once', async () => {
    let n = 0;
    const f = vi.fn(async () =>
      n++ === 0
        ? json(428, { type: 'https://lagesbild.example/problems/purpose-required', title: 'Purpose required', status: 428 })
        : new Response('{"id":"x"}', { status: 200 }),
    );
    const needPurpose = vi.fn(() => Promise.resolve());
    const api = new Api(hooks({ needPurpose }), '/api/v1', f as unknown as typeof fetch);
    await expect(api.entity('x')).resolves.toEqual({ id: 'x' });
    expect(needPurpose).toHaveBeenCalledTimes(1);
    expect(f).toHaveBeenCalledTimes(2);
  });

  it('gives up after one retry, and when the user declines', async () => {
    const f = vi.fn(async () => json(428, { type: 'https://lagesbild.example/problems/purpose-required', status: 428 }));
    const api = new Api(hooks({ needPurpose: () => Promise.resolve() }), '/api/v1', f as unknown as typeof fetch);
    await expect(api.entity('x')).rejects.toMatchObject({ kind: 'purpose-required' });
    expect(f).toHaveBeenCalledTimes(2);
    const declined = new Api(hooks(), '/api/v1', f as unknown as typeof fetch);
    await expect(declined.entity('x')).rejects.toThrow('declined');
  });

  it('tells the app about 401 except for the login itself', async () => {
    const unauthorized = vi.fn();
    const f = vi.fn(async () => json(401, { type: 'https://lagesbild.example/problems/unauthorized', status: 401 }));
    const api = new Api(hooks({ unauthorized }), '/api/v1', f as unknown as typeof fetch);
    await expect(api.login('a', 'b')).rejects.toMatchObject({ status: 401 });
    expect(unauthorized).not.toHaveBeenCalled();
    await expect(api.stats()).rejects.toMatchObject({ kind: 'unauthorized' });
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it('turns a failed fetch into a network problem', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = new Api(hooks(), '/api/v1', f as unknown as typeof fetch);
    await expect(api.session()).rejects.toMatchObject({ kind: 'network', status: 0 });
  });

  it('answers undefined for 204', async () => {
    const api = new Api(hooks(), '/api/v1', (async () => new Response(null, { status: 204 })) as unknown as typeof fetch);
    await expect(api.logout()).resolves.toBeUndefined();
  });
});

describe('queryString', () => {
  it('leaves out empty values', () => {
    expect(queryString({ a: '', b: null, c: undefined, d: 0, e: 'x y', f: false })).toBe('?d=0&e=x+y');
    expect(queryString({})).toBe('');
  });
});
