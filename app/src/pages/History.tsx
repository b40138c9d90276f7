import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { Progress } from '../components/Progress';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';

interface Transfer {
  transfer: 'automatic' | 'held';
  activatedAt: string | null;
  registered: { orders: number; historicalOrders: number; refunds: number; payouts: number };
}
interface Backfill {
  status: 'running' | 'completed' | 'failed';
  phase: 'channel' | 'acquirers' | 'done';
  since: string;
  pages: number;
  orders: number;
  refunds: number;
  payouts: number;
  rejected: number;
  error: { code: string; message: string; fix: string } | null;
  startedAt: string;
  finishedAt: string | null;
}
interface OrderRow {
  orderId: string;
  orderNumber: string;
  currency: string;
  total: number;
}
interface PayoutRow {
  connectionId: string;
  payoutId: string;
  acquirer: string;
  currency: string;
  paidOutAt: string;
  netAmount: number;
}

/** The mark route takes up to 1,000 orders a call; "all" is sent in such batches. */
const MARK_BATCH = 1000;

/** Onboarding with history: fetch it, choose what of it goes into the ledger, then switch on automatic transfer. */
export function History() {
  const { t } = useTranslation('history');
  const shopId = useShopId();
  // After marking, the marked bookings leave "registered" one by one as their workflows take the signal: follow
  // the count down to what should remain, so the list empties on screen.
  const [settlesAt, setSettlesAt] = useState<number | null>(null);
  const transfer = useQuery({
    queryKey: ['shop', shopId, 'transfer'],
    queryFn: () => api<Transfer>('/v1/transfer'),
    // While transfer is held, what the history registers arrives order by order, after the fetch itself has finished:
    // keep the counts (and "select all") current; after marking, follow the count down faster.
    refetchInterval: (q) => (settlesAt !== null && q.state.data && waiting(q.state.data) > settlesAt ? 1500 : q.state.data?.transfer === 'held' ? 3000 : false),
  });
  return (
    <div className="stack history">
      <h1>{t('title')}</h1>
      <ErrorNotice error={transfer.error} />
      <BackfillCard />
      {transfer.data && <MarkCard transfer={transfer.data} onMarked={(marked) => setSettlesAt(Math.max(0, waiting(transfer.data) - marked))} />}
      {transfer.data && <ActivateCard transfer={transfer.data} />}
    </div>
  );
}

const waiting = (t: Transfer) => t.registered.orders + t.registered.payouts;
const phases = ['channel', 'acquirers', 'done'] as const;

function BackfillCard() {
  const { t } = useTranslation('history');
  const { can } = useSession();
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const [since, setSince] = useState('');
  const progress = useQuery({
    queryKey: ['shop', shopId, 'backfill'],
    queryFn: async () => {
      try {
        return await api<Backfill>('/v1/backfill');
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null; // never started
        throw err;
      }
    },
    // A running backfill moves page by page: follow it; a finished one stands still.
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1000 : false),
  });
  const start = useMutation({
    mutationFn: () => api('/v1/backfill', { method: 'POST', body: since ? { since } : {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'backfill'] }),
  });
  const b = progress.data;
  // What it registered becomes markable: refresh the lists when it finishes.
  const finishedAt = b?.finishedAt;
  useEffect(() => {
    if (finishedAt) void queryClient.invalidateQueries({ queryKey: ['shop', shopId], predicate: (q) => q.queryKey[2] !== 'backfill' });
  }, [finishedAt, queryClient, shopId]);
  const step = b ? (b.status === 'completed' ? 3 : phases.indexOf(b.phase) + 1) : 0;
  const counts = b ? t('backfill.counts', { orders: t('backfill.orders', { count: b.orders }), refunds: t('backfill.refunds', { count: b.refunds }), payouts: t('backfill.payouts', { count: b.payouts }) }) : '';
  const stepText = b ? (b.status === 'completed' ? t('backfill.done', { counts }) : b.status === 'failed' ? t('backfill.failed', { counts }) : b.phase === 'channel' ? t('backfill.channel', { page: b.pages + 1, counts }) : t('backfill.acquirers', { counts })) : '';
  return (
    <section className="card" aria-labelledby="backfill-heading">
      <h2 id="backfill-heading">{t('backfill.title')}</h2>
      <p>{t('backfill.explain')}</p>
      {can('operate') && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            start.mutate();
          }}
        >
          <label>
            {t('backfill.since')}
            <input type="date" value={since} onChange={(e) => setSince(e.target.value)} aria-describedby="since-hint" />
          </label>
          <button type="submit" className="primary" disabled={start.isPending || b?.status === 'running'}>
            {t('backfill.start')}
          </button>
          <span id="since-hint" className="fix">
            {t('backfill.sinceHint')}
          </span>
        </form>
      )}
      <ErrorNotice error={start.error ?? progress.error} />
      {b && (
        <div className="backfill-progress">
          <p>{t('backfill.from', { since: formatDate(b.since, currentLocale()) })}</p>
          <Progress done={step} total={3} label={t('backfill.progressLabel')} valueText={stepText} tone={b.status === 'failed' ? 'bad' : b.status === 'running' ? 'running' : undefined} />
          <p role="status" className="backfill-line">
            {stepText}
            {b.rejected > 0 && <> {t('backfill.rejected', { count: b.rejected })}</>}
          </p>
          {b.error && (
            <div className="notice notice-bad" role="alert">
              {b.error.message} <span className="fix">{b.error.fix}</span>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** Historical orders and payouts wait, registered, until the owner marks them: select some or all, then transfer. */
function MarkCard({ transfer, onMarked }: { transfer: Transfer; onMarked: (marked: number) => void }) {
  const { t } = useTranslation('history');
  const { can } = useSession();
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selectedPayouts, setSelectedPayouts] = useState<Set<string>>(new Set());
  const [all, setAll] = useState(false);
  const [marking, setMarking] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const ordersQuery = useInfiniteQuery({
    queryKey: ['shop', shopId, 'orders', 'registered'],
    queryFn: ({ pageParam }) => api<{ orders: OrderRow[]; nextCursor: string | null }>('/v1/orders', { query: { status: 'registered', limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const payoutsQuery = useQuery({
    queryKey: ['shop', shopId, 'payouts', 'registered'],
    queryFn: () => api<{ payouts: PayoutRow[] }>('/v1/payouts', { query: { status: 'registered', limit: 500 } }),
  });
  const count = waiting(transfer);
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'orders', 'registered'] });
    void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'payouts', 'registered'] });
  }, [count, queryClient, shopId]);
  const rows = ordersQuery.data?.pages.flatMap((p) => p.orders) ?? [];
  const payouts = payoutsQuery.data?.payouts ?? [];
  const totalOrders = transfer.registered.orders;
  const chosenOrders = all ? totalOrders : selected.size;
  const chosenPayouts = all ? payouts.length : selectedPayouts.size;
  const mark = useMutation({
    mutationFn: async () => {
      // "All" is every registered order of the shop, not only the rows loaded on screen.
      let orderIds = [...selected];
      if (all) {
        orderIds = [];
        let cursor: string | undefined;
        do {
          const page = await api<{ orders: { orderId: string }[]; nextCursor: string | null }>('/v1/orders', { query: { status: 'registered', limit: 500, cursor } });
          orderIds.push(...page.orders.map((o) => o.orderId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }
      const payoutKeys = (all ? payouts : payouts.filter((p) => selectedPayouts.has(key(p)))).map((p) => ({ connectionId: p.connectionId, payoutId: p.payoutId }));
      let marked = 0;
      const total = orderIds.length + payoutKeys.length;
      setMarking({ done: 0, total });
      for (let i = 0; i < Math.max(orderIds.length, 1); i += MARK_BATCH) {
        const batch = orderIds.slice(i, i + MARK_BATCH);
        const withPayouts = i === 0 ? payoutKeys : [];
        if (batch.length + withPayouts.length === 0) continue;
        const r = await api<{ marked: number }>('/v1/transfer/mark', { method: 'POST', body: { orderIds: batch, payouts: withPayouts } });
        marked += r.marked;
        setMarking({ done: Math.min(i + batch.length + payoutKeys.length, total), total });
      }
      return marked;
    },
    onSuccess: (marked) => {
      onMarked(marked);
      setResult(t('mark.done', { count: marked }));
      setSelected(new Set());
      setSelectedPayouts(new Set());
      setAll(false);
      return queryClient.invalidateQueries({ queryKey: ['shop', shopId] });
    },
    onSettled: () => setMarking(null),
  });
  const toggle = (set: Set<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };
  if (totalOrders === 0 && payouts.length === 0) {
    return (
      <section className="card" aria-labelledby="mark-heading">
        <h2 id="mark-heading">{t('mark.title')}</h2>
        <p>{t('mark.nothing')}</p>
        <p role="status">{result}</p>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="mark-heading">
      <h2 id="mark-heading">{t('mark.title')}</h2>
      <p>{t('mark.explain', { orders: totalOrders, refunds: transfer.registered.refunds, payouts: transfer.registered.payouts })}</p>
      {can('operate') && (
        <div className="row mark-actions">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={all}
              onChange={(e) => {
                setAll(e.target.checked);
                if (!e.target.checked) {
                  setSelected(new Set());
                  setSelectedPayouts(new Set());
                }
              }}
            />
            {t('mark.selectAll', { orders: totalOrders, payouts: payouts.length })}
          </label>
          <button type="button" className="primary" disabled={chosenOrders + chosenPayouts === 0 || mark.isPending} onClick={() => mark.mutate()}>
            {t('mark.button', { count: chosenOrders + chosenPayouts })}
          </button>
        </div>
      )}
      {marking && <Progress done={marking.done} total={marking.total} label={t('mark.progress')} />}
      <p role="status">{result}</p>
      <ErrorNotice error={mark.error ?? ordersQuery.error ?? payoutsQuery.error} />
      {rows.length > 0 && (
        <table aria-label={t('mark.ordersTable')}>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('mark.select')}</span>
              </th>
              <th scope="col">{t('mark.order')}</th>
              <th scope="col" className="num">
                {t('mark.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.orderId}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('mark.selectOrder', { order: o.orderNumber })}
                    disabled={!can('operate')}
                    checked={all || selected.has(o.orderId)}
                    onChange={(e) => {
                      if (all) {
                        // Unticking one row of "all" leaves the loaded rows but that one ticked.
                        setAll(false);
                        setSelected(new Set(rows.map((r) => r.orderId).filter((id) => id !== o.orderId)));
                        setSelectedPayouts(new Set(payouts.map(key)));
                      } else setSelected((s) => toggle(s, o.orderId, e.target.checked));
                    }}
                  />
                </td>
                <td>{o.orderNumber}</td>
                <td className="num">
                  <Money minor={o.total} currency={o.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ordersQuery.hasNextPage && (
        <button type="button" onClick={() => void ordersQuery.fetchNextPage()} disabled={ordersQuery.isFetchingNextPage}>
          {t('mark.more', { shown: rows.length, total: totalOrders })}
        </button>
      )}
      {payouts.length > 0 && (
        <table aria-label={t('mark.payoutsTable')}>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('mark.select')}</span>
              </th>
              <th scope="col">{t('mark.payout')}</th>
              <th scope="col">{t('mark.paidOut')}</th>
              <th scope="col" className="num">
                {t('mark.net')}
              </th>
            </tr>
          </thead>
          <tbody>
            {payouts.map((p) => (
              <tr key={key(p)}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('mark.selectPayout', { payout: `${p.acquirer} ${p.payoutId}` })}
                    disabled={!can('operate')}
                    checked={all || selectedPayouts.has(key(p))}
                    onChange={(e) => {
                      if (all) {
                        setAll(false);
                        setSelected(new Set(rows.map((r) => r.orderId)));
                        setSelectedPayouts(new Set(payouts.map(key).filter((k) => k !== key(p))));
                      } else setSelectedPayouts((s) => toggle(s, key(p), e.target.checked));
                    }}
                  />
                </td>
                <td>
                  {p.acquirer} · {p.payoutId}
                </td>
                <td>{formatDate(p.paidOutAt, currentLocale())}</td>
                <td className="num">
                  <Money minor={p.netAmount} currency={p.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const key = (p: { connectionId: string; payoutId: string }) => `${p.connectionId}/${p.payoutId}`;

/** The switch from "register only" to "post as it arrives", said plainly before the owner presses it. */
function ActivateCard({ transfer }: { transfer: Transfer }) {
  const { t } = useTranslation('history');
  const { can } = useSession();
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const activate = useMutation({
    mutationFn: () => api<{ activatedAt: string; released: number }>('/v1/transfer/activate', { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['shop', shopId] }),
  });
  const active = transfer.transfer === 'automatic';
  return (
    <section className="card" aria-labelledby="activate-heading">
      <h2 id="activate-heading">{t('activate.title')}</h2>
      {active ? (
        <p className="notice notice-ok">{transfer.activatedAt ? t('activate.activeSince', { date: formatDate(transfer.activatedAt, currentLocale()) }) : t('activate.active')}</p>
      ) : (
        <>
          <p className="notice notice-wait">{t('activate.held')}</p>
          <p>{t('activate.whatItDoes')}</p>
          <ul className="explain">
            <li>{t('activate.fromNow')}</li>
            <li>{t('activate.heldLive')}</li>
            <li>{t('activate.historical')}</li>
            <li>{t('activate.once')}</li>
          </ul>
          {can('configure') ? (
            <button type="button" className="primary" disabled={activate.isPending} onClick={() => activate.mutate()}>
              {t('activate.button')}
            </button>
          ) : (
            <p className="fix">{t('activate.ownerOnly')}</p>
          )}
        </>
      )}
      <p role="status">{activate.data && t('activate.released', { count: activate.data.released })}</p>
      <ErrorNotice error={activate.error} />
    </section>
  );
}
