import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../api/session';
import { languages, setLanguage, type Language } from '../i18n';
import { CreateShop } from './CreateShop';

/** The frame of every signed-in page: skip link, shop switcher, navigation, language, sign-out. */
export function Layout() {
  const { t, i18n } = useTranslation('common');
  const { session, loading, shop, chooseShop, signOut } = useSession();
  const location = useLocation();
  if (loading) return <p className="loading">{t('loading')}</p>;
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  const operator = session.person.role === 'operator';
  const links: [string, string][] = [
    ['/', 'nav.overview'],
    ['/sales', 'nav.sales'],
    ['/payouts', 'nav.payouts'],
    ['/report', 'nav.report'],
    ['/history', 'nav.history'],
    ['/setup', 'nav.setup'],
    ...(operator ? ([['/operator', 'nav.operator']] as [string, string][]) : []),
  ];
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skip')}
      </a>
      <header className="topbar">
        <span className="brand">ledgerbridge</span>
        {session.shops.length > 0 && (
          <label className="shop-switcher">
            <span>{t('shop')}</span>
            <select value={shop?.id ?? ''} onChange={(e) => chooseShop(e.target.value)}>
              {session.shops.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <nav aria-label={t('nav.label')}>
          <ul>
            {links.map(([to, key]) => (
              <li key={to}>
                <NavLink to={to} end={to === '/'}>
                  {t(key)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <label>
            <span className="visually-hidden">{t('language')}</span>
            <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
              {languages.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <span className="person">{session.person.name || session.person.email}</span>
          <button type="button" onClick={() => void signOut()}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {shop || operator ? <Outlet /> : <CreateShop />}
      </main>
    </>
  );
}
