// The app's shared state: the API client, the session, the purpose dialog and a polite live
// region for results that arrive asynchronously.

import { createContext, useCallback, useContext, useEffect, useRef, useState, type DependencyList } from 'react';
import { Api, Problem, type Session } from './api';

export interface AppState {
  api: Api;
  session: Session | null;
  setSession(s: Session | null): void;
  /// Opens the purpose dialog; resolves once a purpose is set, rejects when the user declines.
  askPurpose(): Promise<void>;
  /// Says something to screen readers (and shows it in the status line).
  announce(msg: string): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside AppContext');
  return s;
}

/// A declined purpose: the request cannot go on.
export function declinedPurpose(): Problem {
  return new Problem({
    type: 'https://lagesbild.example/problems/purpose-required',
    title: 'Purpose required',
    status: 428,
  });
}

export function asProblem(e: unknown): Problem {
  if (e instanceof Problem) return e;
  return new Problem({ status: 0, title: 'Error', detail: e instanceof Error ? e.message : String(e) });
}

export interface Loaded<T> {
  data: T | undefined;
  error: Problem | undefined;
  loading: boolean;
  reload(): void;
}

/// Runs `fn` when `deps` change (or on reload); `null` from `fn`'s caller means "nothing to
/// load yet". Results of a stale run are dropped.
export function useLoad<T>(fn: (() => Promise<T>) | null, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Problem | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    if (!fn) {
      setLoading(false);
      return;
    }
    const me = ++run.current;
    setLoading(true);
    setError(undefined);
    fn().then(
      (d) => {
        if (run.current !== me) return;
        setData(d);
        setLoading(false);
      },
      (e) => {
        if (run.current !== me) return;
        setError(asProblem(e));
        setData(undefined);
        setLoading(false);
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/// The session storage key that says the purpose was asked for on opening an entity in this
/// session (a new login is a new session: the CSRF token differs).
export function entityPurposeKey(s: Session): string {
  return `lagesbild.entityPurposeAsked.${s.user}.${s.csrf_token.slice(0, 16)}`;
}
