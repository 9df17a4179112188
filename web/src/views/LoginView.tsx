// Logging in: user and password to POST /api/v1/session; the cookie does the rest.

import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n';
import { useApp, asProblem } from '../state';
import type { Problem } from '../api';
import { ProblemMessage } from '../components/ProblemMessage';

export function LoginView() {
  const { t } = useT();
  const { api, setSession } = useApp();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const userInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('login.title')} – ${t('app.title')}`;
  }, [t]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFailed(false);
    setProblem(null);
    try {
      const s = await api.login(user.trim(), password);
      setSession(s);
    } catch (err) {
      const p = asProblem(err);
      if (p.status === 401) setFailed(true);
      else setProblem(p);
      setPassword('');
      userInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.intro')}</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="login-user">{t('login.user')}</label>
          <input
            id="login-user"
            ref={userInput}
            name="username"
            autoComplete="username"
            required
            value={user}
            onChange={(e) => setUser(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {failed && (
          <p className="field-error" role="alert">
            {t('login.failed')}
          </p>
        )}
        {problem && <ProblemMessage problem={problem} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
