import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { StateLabel } from '../components/StateLabel';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { usePayoutActions } from './payouts/actions';
import { errorText, isStateFilter, payoutKeys, payoutPath, refreshMs, stateFilters, unfinished, type PayoutPage, type PayoutRow, type StateFilter } from './payouts/api';
import { DataTable, type Columns } from './payouts/DataTable';
import { UploadCard } from './payouts/UploadCard';

const pageSize = 25;

/** The shop's payouts: upload a settlement file, filter by state, page through, restart or book. */
export function Payouts() {
  const { t } = useTranslation('payouts');
  const shopId = useShopId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const state: StateFilter = isStateFilter(params.get('state')) ? (params.get('state') as StateFilter) : 'all';
  // The API pages with a cursor: the cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const { restart, restartAll, book, awaitingChange } = usePayoutActions();
  const list = useQuery({
    queryKey: payoutKeys.list(shopId, state, cursor),
    queryFn: () => api<PayoutPage>('/v1/payouts', { query: { status: stateFilters[state], limit: pageSize, cursor } }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.payouts.some((p) => unfinished(p.status) || awaitingChange(p)) ? refreshMs : false),
  });
  const operate = can('operate');
  const columns = usePayoutColumns(operate, restart.mutate, book.mutate, restart.isPending || book.isPending);
  const rows = list.data?.payouts ?? noRows;
  const anyFailed = rows.some((p) => p.status === 'failed');

  function filter(next: StateFilter) {
    setCursors([null]);
    setParams(next === 'all' ? {} : { state: next });
  }

  return (
    <div className="stack">
      <h1>{t('title')}</h1>
      {operate && <UploadCard />}
      <section className="card stack payouts-section" aria-labelledby="payouts-list-title">
        <div className="row payouts-toolbar">
          <h2 id="payouts-list-title">{t('list.title')}</h2>
          <label>
            {t('list.state')}
            <select value={state} onChange={(e) => filter(e.target.value as StateFilter)}>
              {(Object.keys(stateFilters) as StateFilter[]).map((s) => (
                <option key={s} value={s}>
                  {t(`filter.${s}`)}
                </option>
              ))}
            </select>
          </label>
          {operate && anyFailed && (
            <button type="button" onClick={() => restartAll.mutate(rows.filter((p) => p.status === 'failed'))} disabled={restartAll.isPending}>
              {t('actions.restartAllFailed')}
            </button>
          )}
        </div>
        <div role="status">
          {restartAll.data && t('actions.restartedAll', { count: restartAll.data.restarted })}
          {restart.isSuccess && t('actions.restarted', { payout: restart.variables.payoutId })}
          {book.isSuccess && t('actions.booked', { payout: book.variables.payoutId })}
        </div>
        <ErrorNotice error={list.error ?? restart.error ?? restartAll.error ?? book.error} />
        {list.isPending ? (
          <p className="loading">{t('loading', { ns: 'common' })}</p>
        ) : rows.length === 0 ? (
          <p>{state === 'all' ? t('list.empty') : t('list.emptyFilter')}</p>
        ) : (
          // While another filter's or page's rows load, the previous ones stay, dimmed and marked busy.
          <DataTable busy={list.isPlaceholderData} columns={columns} data={rows} caption={t('list.caption', { state: t(`filter.${state}`) })} numeric={['netAmount']} nowrap={['paidOutAt']} rowId={(p) => `${p.connectionId}/${p.payoutId}`} />
        )}
        {(cursors.length > 1 || list.data?.nextCursor) && (
          <nav className="row pager" aria-label={t('list.pages')}>
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {t('list.previous')}
            </button>
            <span>{t('list.page', { page: cursors.length })}</span>
            <button type="button" disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data!.nextCursor])}>
              {t('list.next')}
            </button>
          </nav>
        )}
      </section>
    </div>
  );
}

const noRows: PayoutRow[] = [];

function usePayoutColumns(operate: boolean, restart: (p: PayoutRow) => void, book: (p: PayoutRow) => void, busy: boolean): Columns<PayoutRow> {
  const { t, i18n } = useTranslation('payouts');
  return useMemo(() => {
    const locale = currentLocale();
    const columns: Columns<PayoutRow> = [
      {
        id: 'payoutId',
        header: t('list.payout'),
        cell: ({ row }) => <Link to={payoutPath(row.original)}>{row.original.payoutId}</Link>,
      },
      { id: 'acquirer', header: t('list.acquirer'), cell: ({ row }) => row.original.acquirer },
      { id: 'paidOutAt', header: t('list.paidOut'), cell: ({ row }) => formatDate(row.original.paidOutAt, locale) },
      { id: 'netAmount', header: t('list.net'), cell: ({ row }) => <Money minor={row.original.netAmount} currency={row.original.currency} /> },
      {
        id: 'status',
        header: t('list.stateColumn'),
        cell: ({ row }) => {
          const p = row.original;
          return (
            <>
              <StateLabel status={p.status} since={p.updatedAt} />
              {p.error && <div className="fix">{errorText(p.error)}</div>}
            </>
          );
        },
      },
      { id: 'voucher', header: t('list.voucher'), cell: ({ row }) => row.original.voucherNumber ?? '–' },
    ];
    if (operate) {
      columns.push({
        id: 'actions',
        header: t('list.actions'),
        cell: ({ row }) => {
          const p = row.original;
          if (p.status === 'failed')
            return (
              <button type="button" disabled={busy} onClick={() => restart(p)} aria-label={t('actions.restartOne', { payout: p.payoutId })}>
                {t('actions.restart')}
              </button>
            );
          if (p.status === 'registered')
            return (
              <button type="button" disabled={busy} onClick={() => book(p)} aria-label={t('actions.bookOne', { payout: p.payoutId })}>
                {t('actions.book')}
              </button>
            );
          return null;
        },
      });
    }
    return columns;
    // The language is a dependency: headers and dates follow it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, i18n.language, operate, restart, book, busy]);
}
