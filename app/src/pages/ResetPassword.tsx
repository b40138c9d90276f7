import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';

/** Where a reset link lands: the person chooses a password, then signs in. */
export function ResetPassword() {
  const { t } = useTranslation('session');
  const [params] = useSearchParams();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (form.get('password') !== form.get('repeat')) return setError(new Error(t('mismatch')));
    try {
      await api('/v1/session/password', { method: 'POST', body: { token: params.get('token') ?? '', password: String(form.get('password')) }, withoutShop: true });
      setDone(true);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <main id="main" className="narrow">
      <h1>{t('resetTitle')}</h1>
      {done ? (
        <p role="status">
          {t('resetDone')} <Link to="/sign-in">{t('title')}</Link>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="stack">
          <label>
            {t('newPassword')}
            <input name="password" type="password" autoComplete="new-password" minLength={10} required />
          </label>
          <label>
            {t('repeatPassword')}
            <input name="repeat" type="password" autoComplete="new-password" minLength={10} required />
          </label>
          <ErrorNotice error={error} />
          <button type="submit" className="primary">
            {t('resetSubmit')}
          </button>
        </form>
      )}
    </main>
  );
}
