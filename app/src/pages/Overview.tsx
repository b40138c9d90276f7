import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { Progress } from '../components/Progress';
import { StateLabel } from '../components/StateLabel';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { formatLongDay, lastDays } from '../period';

const BalanceChart = lazy(() => import('../components/BalanceChart'));

interface Counts {
  failed: number;
  quotaBlocked: number;
  needsCorrection: number;
  waitingTooLong: number;
}
interface OverviewData {
  currency: string;
  attention: { orders: Counts; refunds: Counts; payouts: { failed: number; quotaBlocked: number }; waitingBefore: string };
  recentPayouts: { connectionId: string; payoutId: string; acquirer: string; status: string; currency: string; paidOutAt: string; netAmount: number }[];
}
interface Graduation {
  state: 'trial' | 'awaiting_approval' | 'graduated' | 'staying_on_drafts';
  trialEndsAt: string;
  failedPostingsInTrial: number;
  switchesAt: string | null;
  switchesBy: 'itself' | 'approval' | null;
  draftsToBook: number;
}
interface Ledger {
  mode: string;
  currency: string;
  monthlyQuota: number | null;
  queue: { postedThisMonth: number; month: string; quotaBlocked: boolean } | null;
}
interface Series {
  currency: string;
  acquirers: { acquirer: string; receivableAccount: string; points: { date: string; ledgerBalance: number | null; unpaidPayments: number }[] }[];
}

/** The shop at a glance: what needs a person first, where the draft trial stands, the quota, payouts, acquirers. */
export function Overview() {
  const { t } = useTranslation('overview');
  const { shop } = useSession();
  return (
    <div className="stack overview">
      <h1>{t('title', { shop: shop?.name ?? '' })}</h1>
      <Attention />
      <div className="cards">
        <GraduationCard />
        <QuotaCard />
      </div>
      <RecentPayouts />
      <AcquirerChart />
    </div>
  );
}

function Attention() {
  const { t } = useTranslation('overview');
  const shopId = useShopId();
  const query = useQuery({
    queryKey: ['shop', shopId, 'overview'],
    queryFn: () => api<OverviewData>('/v1/overview'),
    // Failures and waits change as the worker goes on: keep the counts current without a reload.
    refetchInterval: 10_000,
  });
  if (query.error) return <ErrorNotice error={query.error} />;
  if (!query.data) return <p className="loading">{t('loading')}</p>;
  const { orders, refunds, payouts } = query.data.attention;
  const all: { key: string; count: number; to: string; tone: 'bad' | 'wait' }[] = [
    { key: 'failed', count: orders.failed + refunds.failed, to: '/sales?status=failed', tone: 'bad' },
    { key: 'quotaBlocked', count: orders.quotaBlocked + refunds.quotaBlocked, to: '/sales?status=quota_blocked', tone: 'bad' },
    { key: 'waitingTooLong', count: orders.waitingTooLong + refunds.waitingTooLong, to: '/sales?status=waiting', tone: 'wait' },
    { key: 'needsCorrection', count: orders.needsCorrection + refunds.needsCorrection, to: '/sales?status=needs_correction', tone: 'wait' },
    { key: 'payoutsFailed', count: payouts.failed, to: '/payouts?status=failed', tone: 'bad' },
    { key: 'payoutsQuotaBlocked', count: payouts.quotaBlocked, to: '/payouts?status=quota_blocked', tone: 'bad' },
  ];
  const items = all.filter((i) => i.count > 0);
  return (
    <section className="card" aria-labelledby="attention-heading">
      <h2 id="attention-heading">{t('attention.title')}</h2>
      {items.length === 0 ? (
        <p className="notice notice-ok">{t('attention.none')}</p>
      ) : (
        <ul className="attention-list">
          {items.map((i) => (
            <li key={i.key} className={`attention attention-${i.tone}`}>
              <Link to={i.to}>
                <span className="attention-count">{i.count}</span> {t(`attention.${i.key}`, { count: i.count })}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The draft trial in words, with the owner's two actions: switch now, and book what the trial left as drafts. */
function GraduationCard() {
  const { t } = useTranslation('overview');
  const { can } = useSession();
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const [booking, setBooking] = useState(false);
  const [approving, setApproving] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['shop', shopId, 'graduation'],
    queryFn: async () => {
      try {
        return await api<Graduation>('/v1/ledger/graduation');
      } catch (err) {
        // No trial: the ledger was created posting automatically.
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    // After a button press, follow the change until it shows: the drafts going, the trial ending.
    refetchInterval: (q) => {
      const g = q.state.data;
      const draftsLeft = booking && (g?.draftsToBook ?? 0) > 0;
      const stillTrial = approving && (g?.state === 'trial' || g?.state === 'awaiting_approval');
      return draftsLeft || stillTrial ? 1500 : false;
    },
  });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['shop', shopId] });
  const approve = useMutation({
    mutationFn: () => api<{ draftsToBook: number }>('/v1/ledger/graduation/approve', { method: 'POST' }),
    onSuccess: () => {
      setApproving(true);
      setDone(t('graduation.approved'));
      return invalidate();
    },
  });
  const bookDrafts = useMutation({
    mutationFn: () => api<{ signalled: number }>('/v1/ledger/drafts/book', { method: 'POST' }),
    onSuccess: (r) => {
      setBooking(true);
      setDone(t('graduation.booking', { count: r.signalled }));
      return invalidate();
    },
  });
  const g = query.data;
  const locale = currentLocale();
  return (
    <section className="card" aria-labelledby="graduation-heading">
      <h2 id="graduation-heading">{t('graduation.title')}</h2>
      {query.error && <ErrorNotice error={query.error} />}
      {query.isPending && <p>{t('loading')}</p>}
      {query.data === null && <p>{t('graduation.auto')}</p>}
      {g && (
        <>
          <p className="graduation-line">{graduationLine(t, g, locale)}</p>
          {g.draftsToBook > 0 && <p>{t('graduation.drafts', { count: g.draftsToBook })}</p>}
          {can('operate') && (
            <div className="row">
              {(g.state === 'trial' || g.state === 'awaiting_approval') && (
                <button type="button" className="primary" disabled={approve.isPending} onClick={() => approve.mutate()}>
                  {t('graduation.approve')}
                </button>
              )}
              {g.draftsToBook > 0 && (
                <button type="button" disabled={bookDrafts.isPending} onClick={() => bookDrafts.mutate()}>
                  {t('graduation.bookDrafts', { count: g.draftsToBook })}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <p role="status" className="status-line">
        {done}
      </p>
      <ErrorNotice error={approve.error ?? bookDrafts.error} />
    </section>
  );
}

function graduationLine(t: (key: string, options?: Record<string, unknown>) => string, g: Graduation, locale: string): string {
  const day = formatLongDay(g.switchesAt ?? g.trialEndsAt, locale);
  const failed = t('graduation.failedSoFar', { count: g.failedPostingsInTrial });
  switch (g.state) {
    case 'trial':
      return g.switchesBy === 'itself' ? t('graduation.switchesItself', { day, failed }) : t('graduation.waitsForApproval', { day, failed });
    case 'awaiting_approval':
      return t('graduation.awaiting', { day, failed });
    case 'graduated':
      return t('graduation.graduated');
    case 'staying_on_drafts':
      return t('graduation.stayingOnDrafts');
  }
}

function QuotaCard() {
  const { t } = useTranslation('overview');
  const shopId = useShopId();
  const query = useQuery({ queryKey: ['shop', shopId, 'ledger'], queryFn: () => api<Ledger>('/v1/ledger'), refetchInterval: 30_000 });
  const ledger = query.data;
  const used = ledger?.queue?.postedThisMonth ?? 0;
  return (
    <section className="card" aria-labelledby="quota-heading">
      <h2 id="quota-heading">{t('quota.title')}</h2>
      <ErrorNotice error={query.error} />
      {ledger &&
        (ledger.monthlyQuota === null ? (
          <p>{t('quota.unlimited', { count: used })}</p>
        ) : (
          <>
            <Progress done={Math.min(used, ledger.monthlyQuota)} total={ledger.monthlyQuota} label={t('quota.label')} />
            <p>
              {t('quota.used', { used, quota: ledger.monthlyQuota })}
              {ledger.queue?.quotaBlocked && <strong className="quota-blocked"> {t('quota.blocked')}</strong>}
            </p>
          </>
        ))}
    </section>
  );
}

function RecentPayouts() {
  const { t } = useTranslation('overview');
  const shopId = useShopId();
  const query = useQuery({ queryKey: ['shop', shopId, 'overview'], queryFn: () => api<OverviewData>('/v1/overview'), refetchInterval: 10_000 });
  const payouts = query.data?.recentPayouts ?? [];
  const locale = currentLocale();
  return (
    <section className="card" aria-labelledby="payouts-heading">
      <h2 id="payouts-heading">{t('payouts.title')}</h2>
      {payouts.length === 0 ? (
        <p>{t('payouts.none')}</p>
      ) : (
        <table aria-labelledby="payouts-heading">
          <thead>
            <tr>
              <th scope="col">{t('payouts.date')}</th>
              <th scope="col">{t('payouts.acquirer')}</th>
              <th scope="col" className="num">
                {t('payouts.amount')}
              </th>
              <th scope="col">{t('payouts.state')}</th>
            </tr>
          </thead>
          <tbody>
            {payouts.map((p) => (
              <tr key={`${p.connectionId}/${p.payoutId}`}>
                <td>
                  <Link to={`/payouts/${encodeURIComponent(p.connectionId)}/${encodeURIComponent(p.payoutId)}`}>{formatDate(p.paidOutAt, locale)}</Link>
                </td>
                <td>{p.acquirer}</td>
                <td className="num">
                  <Money minor={p.netAmount} currency={p.currency} />
                </td>
                <td>
                  <StateLabel status={p.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/payouts">{t('payouts.all')}</Link>
      </p>
    </section>
  );
}

/**
 * Per acquirer, the receivable in the ledger next to the payments it has not paid out yet, day by day: the two lines
 * lie on each other when every payout is matched; a gap is money on the receivable nobody can explain. The table
 * under the chart says the same at the end of the period, for screen readers and for copying.
 */
function AcquirerChart() {
  const { t } = useTranslation('overview');
  const shopId = useShopId();
  const [period, setPeriod] = useState(() => lastDays(30));
  const query = useQuery({
    queryKey: ['shop', shopId, 'acquirers', period.from, period.to],
    queryFn: () => api<Series>('/v1/overview/acquirers', { query: period }),
    enabled: period.from <= period.to,
  });
  const locale = currentLocale();
  const currency = query.data?.currency ?? 'DKK';
  return (
    <section className="card" aria-labelledby="acquirers-heading">
      <h2 id="acquirers-heading">{t('acquirers.title')}</h2>
      <p className="fix">{t('acquirers.explain')}</p>
      <div className="row">
        <label>
          {t('acquirers.from')}
          <input type="date" value={period.from} max={period.to} onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, from: e.target.value }))} />
        </label>
        <label>
          {t('acquirers.to')}
          <input type="date" value={period.to} min={period.from} onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, to: e.target.value }))} />
        </label>
      </div>
      <ErrorNotice error={query.error} />
      {query.data?.acquirers.length === 0 && <p>{t('acquirers.none')}</p>}
      {query.data?.acquirers.map((a) => {
        const last = a.points.at(-1);
        const data = a.points.map((p) => ({ date: p.date, receivable: p.ledgerBalance, unpaid: p.unpaidPayments }));
        return (
          <figure key={a.acquirer} className="acquirer-chart">
            <figcaption>
              <strong>{a.acquirer}</strong> · {t('acquirers.account', { account: a.receivableAccount })}
            </figcaption>
            <div className="chart" aria-hidden="true">
              <Suspense fallback={<p className="loading">{t('loading')}</p>}>
                <BalanceChart data={data} currency={currency} labels={{ receivable: t('acquirers.receivable'), unpaid: t('acquirers.unpaid') }} />
              </Suspense>
            </div>
            {last && (
              <table aria-label={t('acquirers.tableLabel', { acquirer: a.acquirer, date: formatDate(last.date, locale) })}>
                <tbody>
                  <tr>
                    <th scope="row">{t('acquirers.receivable')}</th>
                    <td className="num">{last.ledgerBalance === null ? t('acquirers.inLedger') : <Money minor={last.ledgerBalance} currency={currency} />}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t('acquirers.unpaid')}</th>
                    <td className="num">
                      <Money minor={last.unpaidPayments} currency={currency} />
                    </td>
                  </tr>
                  {last.ledgerBalance !== null && (
                    <tr>
                      <th scope="row">{t('acquirers.difference')}</th>
                      <td className="num">
                        {last.ledgerBalance === last.unpaidPayments ? (
                          <span className="state state-ok">{t('acquirers.balanced')}</span>
                        ) : (
                          <span className="state state-bad">
                            <Money minor={last.ledgerBalance - last.unpaidPayments} currency={currency} />
                          </span>
                        )}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            )}
          </figure>
        );
      })}
    </section>
  );
}
