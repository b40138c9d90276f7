import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useSession } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';

interface Stuck {
  failed: number;
  quotaBlocked: number;
  queued: number;
  needsCorrection: number;
  waitingTooLong: number;
}
interface Attention {
  temporalUiUrl: string;
  waitingBefore: string;
  shops: { shopId: string; name: string; merchant: string | null; ledgerId: string; system: string; mode: string; stuck: Stuck; temporalUi: Record<'all' | keyof Omit<Stuck, 'queued'>, string> }[];
}

const columns = ['failed', 'quotaBlocked', 'waitingTooLong', 'needsCorrection'] as const;
const total = (s: Stuck) => s.failed + s.quotaBlocked + s.waitingTooLong + s.needsCorrection;

/** For operators: every shop, what is stuck in it, and the Temporal UI's list of exactly those workflows. */
export function Operator() {
  const { t } = useTranslation('operator');
  const { session } = useSession();
  const operator = session?.person.role === 'operator';
  const query = useQuery({
    queryKey: ['operator', 'attention'],
    queryFn: () => api<Attention>('/v1/admin/attention', { withoutShop: true }),
    enabled: operator,
    refetchInterval: 15_000,
  });
  if (!operator) {
    return (
      <div className="stack">
        <h1>{t('title')}</h1>
        <p className="notice notice-wait">{t('operatorsOnly')}</p>
      </div>
    );
  }
  // The shops with most stuck first: that is where an operator starts.
  const shops = [...(query.data?.shops ?? [])].sort((a, b) => total(b.stuck) - total(a.stuck) || a.name.localeCompare(b.name));
  return (
    <div className="stack operator">
      <h1>{t('title')}</h1>
      <p>{t('explain')}</p>
      <ErrorNotice error={query.error} />
      {query.data && (
        <table aria-label={t('table')}>
          <thead>
            <tr>
              <th scope="col">{t('shop')}</th>
              <th scope="col">{t('ledger')}</th>
              {columns.map((c) => (
                <th scope="col" className="num" key={c}>
                  {t(`stuck.${c}`)}
                </th>
              ))}
              <th scope="col" className="num">
                {t('stuck.queued')}
              </th>
              <th scope="col">{t('temporal')}</th>
            </tr>
          </thead>
          <tbody>
            {shops.map((s) => (
              <tr key={s.shopId} className={total(s.stuck) > 0 ? 'operator-stuck' : undefined}>
                <th scope="row">
                  {s.name}
                  <div className="fix">
                    {s.merchant && <>{s.merchant} · </>}
                    <code>{s.shopId}</code>
                  </div>
                </th>
                <td>
                  {s.system} · {t(`mode.${s.mode}`, { defaultValue: s.mode })}
                </td>
                {columns.map((c) => (
                  <td className="num" key={c}>
                    {s.stuck[c] > 0 ? (
                      <a href={s.temporalUi[c]} target="_blank" rel="noreferrer" className={`state ${c === 'waitingTooLong' || c === 'needsCorrection' ? 'state-wait' : 'state-bad'}`} aria-label={t('linkCount', { count: s.stuck[c], what: t(`stuck.${c}`), shop: s.name })}>
                        {s.stuck[c]}
                      </a>
                    ) : (
                      <span className="zero">0</span>
                    )}
                  </td>
                ))}
                <td className="num">{s.stuck.queued}</td>
                <td>
                  <a href={s.temporalUi.all} target="_blank" rel="noreferrer" aria-label={t('allLink', { shop: s.name })}>
                    {t('open')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.data && shops.length === 0 && <p>{t('noShops')}</p>}
      {query.data && (
        <p className="fix">
          {t('temporalUi')} <a href={query.data.temporalUiUrl}>{query.data.temporalUiUrl}</a>
        </p>
      )}
    </div>
  );
}
