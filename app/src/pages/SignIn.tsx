import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useSession } from '../api/session';

export function SignIn() {
  const { t } = useTranslation('session');
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session) return <Navigate to={from} replace />;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
      navigate(from, { replace: true });
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('wrong') : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="narrow">
      <h1>{t('title')}</h1>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          {t('email')}
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error && (
          <p className="notice notice-bad" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('submit')}
        </button>
      </form>
      <ForgotPassword />
    </main>
  );
}

function ForgotPassword() {
  const { t } = useTranslation('session');
  const [sent, setSent] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email'));
    await fetch('/v1/session/reset-request', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    setSent(true);
  }
  return (
    <details className="forgot">
      <summary>{t('forgot')}</summary>
      {sent ? (
        <p role="status">{t('forgotSent')}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <label>
            {t('email')}
            <input name="email" type="email" required />
          </label>
          <button type="submit">{t('forgotSubmit')}</button>
        </form>
      )}
    </details>
  );
}
