// The app's frame: language, session, purpose dialog, header with the menu the role may use,
// the routes (heavy views loaded on demand) and a live region for asynchronous results.

import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, NavLink, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Api, type Session } from './api';
import { formatNumber, initialLang, LANG_KEY, LangContext, translate, useT, type Key, type Lang } from './i18n';
import { homeFor, viewsFor, VIEW_ORDER, type View } from './roles';
import { AppContext, declinedPurpose, useApp, type AppState } from './state';
import { PurposeDialog } from './components/PurposeDialog';
import { Loading } from './components/ProblemMessage';
import { ErrorBoundary } from './components/ErrorBoundary';
import { LoginView } from './views/LoginView';
import { SearchView } from './views/SearchView';
import { EntityView } from './views/EntityView';

const NetworkView = lazy(() => import('./views/NetworkView'));
const MapView = lazy(() => import('./views/MapView'));
const DashboardView = lazy(() => import('./views/DashboardView'));
const PartnerView = lazy(() => import('./views/PartnerView'));
const ReviewView = lazy(() => import('./views/ReviewView'));
const AuditView = lazy(() => import('./views/AuditView'));

const PATHS: Record<View, string> = {
  search: '/search',
  entity: '/entity',
  network: '/network',
  map: '/map',
  dashboard: '/dashboard',
  partner: '/partner',
  review: '/review',
  audit: '/audit',
};

interface PendingPurpose {
  promise: Promise<void>;
  resolve(): void;
  reject(e: unknown): void;
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => initialLang());
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* private mode: the choice lasts this page only */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const langState = useMemo(
    () => ({
      lang,
      setLang,
      t: (k: Key, v?: Record<string, string | number>) => translate(lang, k, v),
      num: (n: number, d?: number) => formatNumber(lang, n, d),
    }),
    [lang, setLang],
  );

  const [session, setSessionState] = useState<Session | null | undefined>(undefined);
  const sessionRef = useRef<Session | null | undefined>(undefined);
  const setSession = useCallback((s: Session | null) => {
    sessionRef.current = s;
    setSessionState(s);
  }, []);

  const [dialogOpen, setDialogOpen] = useState(false);
  const pending = useRef<PendingPurpose | null>(null);
  const askPurpose = useCallback((): Promise<void> => {
    if (pending.current) return pending.current.promise;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    pending.current = { promise, resolve, reject };
    setDialogOpen(true);
    return promise;
  }, []);

  const [liveMsg, setLiveMsg] = useState('');
  const announce = useCallback((msg: string) => {
    // Cleared first so that the same words said twice are read twice.
    setLiveMsg('');
    window.setTimeout(() => setLiveMsg(msg), 50);
  }, []);

  const api = useMemo(
    () =>
      new Api({
        csrf: () => sessionRef.current?.csrf_token ?? null,
        purpose: () => sessionRef.current?.purpose ?? null,
        needPurpose: () => askPurpose(),
        unauthorized: () => setSession(null),
      }),
    [askPurpose, setSession],
  );

  useEffect(() => {
    api.session().then(setSession, () => setSession(null));
  }, [api, setSession]);

  const state: AppState | null = useMemo(
    () => ({ api, session: session ?? null, setSession, askPurpose, announce }),
    [api, session, setSession, askPurpose, announce],
  );

  async function submitPurpose(purpose: string) {
    const s = await api.setPurpose(purpose);
    // Some servers may answer without the purpose echoed; keep what the user gave.
    const next = { ...(sessionRef.current as Session), ...(s ?? {}), purpose: s?.purpose ?? purpose };
    setSession(next);
    setDialogOpen(false);
    announce(translate(lang, 'purpose.saved', { purpose }));
    const p = pending.current;
    pending.current = null;
    p?.resolve();
  }

  function cancelPurpose() {
    setDialogOpen(false);
    const p = pending.current;
    pending.current = null;
    p?.reject(declinedPurpose());
  }

  return (
    <LangContext.Provider value={langState}>
      <AppContext.Provider value={state}>
        <BrowserRouter>
          <Frame session={session} />
          <PurposeDialog
            open={dialogOpen}
            initial={session?.purpose ?? ''}
            onSubmit={submitPurpose}
            onCancel={cancelPurpose}
          />
          <div className="live visually-hidden" role="status" aria-live="polite" aria-atomic="true" id="live">
            {liveMsg}
          </div>
        </BrowserRouter>
      </AppContext.Provider>
    </LangContext.Provider>
  );
}

function Frame({ session }: { session: Session | null | undefined }) {
  const { t } = useT();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // On a route change, focus moves to the new page's content (and its title is read).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = main.current?.querySelector('h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus();
    } else main.current?.focus();
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <Header session={session} />
      <main id="main" ref={main} tabIndex={-1}>
        {session === undefined ? (
          <Loading />
        ) : session === null ? (
          <LoginView />
        ) : (
          <ErrorBoundary resetKey={location.pathname + location.search}>
            <Suspense fallback={<Loading />}>
              <AppRoutes session={session} />
            </Suspense>
          </ErrorBoundary>
        )}
      </main>
      <footer className="footer">
        <p>{t('app.tagline')}</p>
      </footer>
    </>
  );
}

function Header({ session }: { session: Session | null | undefined }) {
  const { t, lang, setLang } = useT();
  const { api, setSession, askPurpose } = useApp();
  const navigate = useNavigate();
  const views = session ? viewsFor(session.roles) : new Set<View>();

  async function logout() {
    try {
      await api.logout();
    } catch {
      /* logged out either way */
    }
    setSession(null);
    navigate('/');
  }

  return (
    <header className="header">
      <div className="brand">
        <Link to="/">{t('app.title')}</Link>
      </div>
      {session && (
        <nav aria-label={t('nav.label')} className="nav">
          <ul>
            {VIEW_ORDER.filter((v) => views.has(v)).map((v) => (
              <li key={v}>
                <NavLink to={PATHS[v]}>{t(`nav.${v}` as Key)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-tools">
        {session && (
          <div className="purpose" data-testid="purpose">
            <span>
              {t('purpose.current')}:{' '}
              <strong className="purpose-value">{session.purpose || t('purpose.none')}</strong>
            </span>{' '}
            <button type="button" className="link-button" onClick={() => askPurpose().catch(() => {})}>
              {session.purpose ? t('purpose.change') : t('purpose.set')}
            </button>
          </div>
        )}
        <label className="lang">
          <span>{t('lang.label')}</span>{' '}
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
            <option value="sv" lang="sv">
              {t('lang.sv')}
            </option>
            <option value="en" lang="en">
              {t('lang.en')}
            </option>
          </select>
        </label>
        {session && (
          <div className="user">
            <span title={t('header.roles', { roles: session.roles.join(', ') })}>
              {t('header.user', { user: session.user, org: session.org })}
            </span>{' '}
            <button type="button" onClick={logout}>
              {t('header.logout')}
            </button>
          </div>
        )}
      </div>
    </header>
  );
}

function Guard({ session, view, children }: { session: Session; view: View; children: ReactNode }) {
  const { t } = useT();
  if (!viewsFor(session.roles).has(view))
    return (
      <section aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">{t(`nav.${view}` as Key)}</h1>
        <p role="alert">{t('common.forbiddenView')}</p>
        <p>
          <Link to="/">{t('common.back')}</Link>
        </p>
      </section>
    );
  return <>{children}</>;
}

function AppRoutes({ session }: { session: Session }) {
  const { t } = useT();
  const home = homeFor(session.roles);
  return (
    <Routes>
      <Route
        path="/"
        element={
          home ? (
            <Navigate to={PATHS[home]} replace />
          ) : (
            <section>
              <h1>{t('home.welcome', { user: session.user })}</h1>
              <p>{t('home.none')}</p>
            </section>
          )
        }
      />
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route path="/search" element={<Guard session={session} view="search"><SearchView /></Guard>} />
      {/* Any role may try an entity: the server answers "not found" for what the caller may
          not see, and the page shows that answer. */}
      <Route path="/entity/:id" element={<EntityView />} />
      <Route path="/network" element={<Guard session={session} view="network"><NetworkView /></Guard>} />
      <Route path="/map" element={<Guard session={session} view="map"><MapView /></Guard>} />
      <Route path="/dashboard" element={<Guard session={session} view="dashboard"><DashboardView /></Guard>} />
      <Route path="/partner" element={<Guard session={session} view="partner"><PartnerView /></Guard>} />
      <Route path="/review" element={<Guard session={session} view="review"><ReviewView /></Guard>} />
      <Route path="/audit" element={<Guard session={session} view="audit"><AuditView /></Guard>} />
      <Route
        path="*"
        element={
          <section>
            <h1>{t('common.notFoundPage')}</h1>
            <p>
              <Link to="/">{t('common.back')}</Link>
            </p>
          </section>
        }
      />
    </Routes>
  );
}
