import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper, rowPaginationFeature, rowSelectionFeature, tableFeatures, useTable, type PaginationState, type RowSelectionState } from '@tanstack/react-table';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { Progress } from '../components/Progress';
import { TableView } from '../components/TableView';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { fromOrder, fromRefund, refreshEvery, SaleState, type Kind, type OrderView, type RefundView, type Sale } from './sales-shared';

/**
 * Sales and refunds (issue 14): a page of orders or refunds at a time, newest first, filtered by the API (state,
 * error, dates, order number), so 2,000 orders cost one small page. A person ticks rows, or all the filter matches,
 * and restarts or books them; the action's progress and the rows' states update without a reload.
 */
const statuses = ['failed', 'quota_blocked', 'waiting', 'registered', 'queued', 'posting', 'drafted', 'booked', 'needs_correction', 'skipped', 'cancelled'];
const pageSizes = [25, 50, 100];

interface ListAnswer {
  matching: number;
  facets: { status: Record<string, number>; errorCode: Record<string, number> };
}
interface Filter {
  status?: string;
  errorCode?: string;
  from?: string;
  to?: string;
  search?: string;
}

const features = tableFeatures({ rowPaginationFeature, rowSelectionFeature });
const helper = createColumnHelper<typeof features, Sale>();
const noRows: Sale[] = [];

export function Sales() {
  const { t } = useTranslation('sales');
  const shopId = useShopId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const kind: Kind = params.get('kind') === 'refunds' ? 'refunds' : 'orders';
  const filter: Filter = useMemo(
    () => ({
      status: params.get('status') ?? undefined,
      errorCode: params.get('error') ?? undefined,
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
      search: params.get('q') ?? undefined,
    }),
    [params],
  );
  const pageSize = pageSizes.includes(Number(params.get('size'))) ? Number(params.get('size')) : 50;
  const pageIndex = Math.max(0, Number(params.get('page') ?? '1') - 1 || 0);
  const pagination: PaginationState = useMemo(() => ({ pageIndex, pageSize }), [pageIndex, pageSize]);

  /** Every change of kind or filter starts at the first page; the URL keeps it, so the list can be bookmarked. */
  const update = (changes: Record<string, string | undefined>, keepPage = false) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        if (!keepPage) next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  const queryClient = useQueryClient();
  // A bulk action: first its calls (a thousand bookings each, continued while the API says there are more), then its
  // progress until every booking it reached has settled.
  const bulk = useMutation({
    mutationFn: async (run: ActionRun): Promise<Sent> => {
      const path = run.verb === 'restart' ? '/v1/orders/restart' : '/v1/orders/book-drafts';
      const sent: Sent = { orderIds: [], refundIds: [], since: '' };
      for (let after: string | undefined; ; ) {
        const answer = await api<ActionAnswer>(path, { method: 'POST', body: { ...run.body, after } });
        sent.since ||= answer.since;
        sent.orderIds.push(...answer.orderIds);
        sent.refundIds.push(...(answer.refundIds ?? []));
        if (answer.more <= 0 || answer.matched === 0) return sent;
        after = answer.orderIds.at(-1) ?? answer.refundIds?.at(-1);
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'sales'] }),
  });
  const [action, setAction] = useState<ActionRun | null>(null);
  const [actionDone, setActionDone] = useState(false);
  const list = useQuery({
    queryKey: ['shop', shopId, 'sales', kind, filter, pageIndex, pageSize],
    queryFn: async () => {
      const query = { sort: 'newest', limit: pageSize, offset: pageIndex * pageSize, ...filter };
      if (kind === 'orders') {
        const answer = await api<ListAnswer & { orders: OrderView[] }>('/v1/orders', { query });
        return { ...answer, rows: answer.orders.map(fromOrder) };
      }
      const answer = await api<ListAnswer & { refunds: RefundView[] }>('/v1/refunds', { query });
      return { ...answer, rows: answer.refunds.map(fromRefund) };
    },
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (action && !actionDone ? 2_000 : refreshEvery(query.state.data?.rows.map((r) => r.status) ?? [])),
  });
  const rows = list.data?.rows ?? noRows;
  const total = list.data?.matching ?? 0;

  // A selection belongs to the list it was made in: another kind, filter or page shows none.
  const listKey = JSON.stringify([kind, filter, pageIndex, pageSize]);
  const [selection, setSelection] = useState<{ list: string; rows: RowSelectionState; allMatching: boolean }>({ list: listKey, rows: {}, allMatching: false });
  const current = selection.list === listKey ? selection : { list: listKey, rows: {}, allMatching: false };
  const rowSelection = current.rows;
  const allMatching = current.allMatching;
  const setAllMatching = (all: boolean) => setSelection({ ...current, allMatching: all });

  const operate = can('operate');
  const columns = useMemo(
    () =>
      helper.columns([
        ...(operate
          ? [
              helper.display({
                id: 'select',
                header: ({ table }) => (
                  <input
                    type="checkbox"
                    aria-label={t('selectPage')}
                    checked={table.getIsAllPageRowsSelected()}
                    ref={(el) => {
                      if (el) el.indeterminate = table.getIsSomePageRowsSelected();
                    }}
                    onChange={table.getToggleAllPageRowsSelectedHandler()}
                  />
                ),
                cell: ({ row }) => (
                  <input
                    type="checkbox"
                    aria-label={t('selectOne', { name: saleName(row.original, t) })}
                    checked={row.getIsSelected()}
                    onChange={row.getToggleSelectedHandler()}
                  />
                ),
              }),
            ]
          : []),
        helper.display({
          id: 'name',
          header: () => t(kind === 'orders' ? 'column.order' : 'column.refund'),
          cell: ({ row }) => (
            <Link to={`/sales/${row.original.kind}/${encodeURIComponent(row.original.id)}`}>{saleName(row.original, t)}</Link>
          ),
        }),
        helper.display({ id: 'date', header: () => t('column.date'), cell: ({ row }) => formatDate(row.original.date, currentLocale()) }),
        helper.display({
          id: 'amount',
          header: () => t('column.amount'),
          cell: ({ row }) => <Money minor={row.original.amount} currency={row.original.currency} />,
        }),
        helper.display({ id: 'state', header: () => t('column.state'), cell: ({ row }) => <SaleState sale={row.original} compact /> }),
      ]),
    [kind, operate, t],
  );

  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    rowCount: total,
    manualPagination: true,
    autoResetPageIndex: false,
    state: { pagination, rowSelection },
    onPaginationChange: (updater) => {
      const next = typeof updater === 'function' ? updater(pagination) : updater;
      update({ page: next.pageIndex > 0 ? String(next.pageIndex + 1) : undefined, size: next.pageSize !== 50 ? String(next.pageSize) : undefined }, true);
    },
    onRowSelectionChange: (updater) => setSelection({ list: listKey, rows: typeof updater === 'function' ? updater(rowSelection) : updater, allMatching: false }),
  });

  const selected = rows.filter((r) => rowSelection[r.id]);
  const facets = list.data?.facets ?? { status: {}, errorCode: {} };
  /** How many of `status` the action would reach: of the ticked rows, or of all the filter matches. */
  const reach = (status: string) =>
    allMatching ? (!filter.status || filter.status === status ? (facets.status[status] ?? 0) : 0) : selected.filter((r) => r.status === status).length;
  const restartable = reach('failed');
  const bookable = kind === 'orders' ? reach('drafted') : 0;

  const start = (verb: 'restart' | 'book') => {
    const subject = kind === 'orders' ? 'order' : 'refund';
    const body = allMatching
      ? { subject, errorCode: filter.errorCode, from: filter.from, to: filter.to, search: filter.search }
      : { subject, ...(kind === 'orders' ? { orderIds: selected.map((r) => r.id) } : { refundIds: selected.map((r) => r.id) }) };
    const run = { id: (action?.id ?? 0) + 1, verb, kind, body, expected: verb === 'restart' ? restartable : bookable };
    setActionDone(false);
    setAction(run);
    // What was acted on is followed by the progress below; the ticks are done with.
    setSelection({ list: listKey, rows: {}, allMatching: false });
    bulk.mutate(run);
  };

  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = Math.min(total, (pageIndex + 1) * pageSize);
  const errorCodes = Object.keys(facets.errorCode);
  if (filter.errorCode && !errorCodes.includes(filter.errorCode)) errorCodes.push(filter.errorCode);

  return (
    <div className="stack">
      <h1>{t('title')}</h1>
      <nav aria-label={t('kinds')} className="sales-kinds">
        {(['orders', 'refunds'] as const).map((k) => (
          <Link key={k} to={k === 'orders' ? '/sales' : '/sales?kind=refunds'} aria-current={k === kind ? 'page' : undefined}>
            {t(`kind.${k}`)}
          </Link>
        ))}
      </nav>

      <form className="row sales-filters" role="search" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('filter.state')}
          <select value={filter.status ?? ''} onChange={(e) => update({ status: e.target.value })}>
            <option value="">{t('filter.anyState')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {t(`state.${s}`, { ns: 'common', defaultValue: s })} ({facets.status[s] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.error')}
          <select value={filter.errorCode ?? ''} onChange={(e) => update({ error: e.target.value })}>
            <option value="">{t('filter.anyError')}</option>
            {errorCodes.map((code) => (
              <option key={code} value={code}>
                {code} ({facets.errorCode[code] ?? 0})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filter.from')}
          <input type="date" value={filter.from ?? ''} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          {t('filter.to')}
          <input type="date" value={filter.to ?? ''} onChange={(e) => update({ to: e.target.value })} />
        </label>
        <SearchBox value={filter.search ?? ''} label={t('filter.search')} onChange={(q) => update({ q })} />
      </form>

      {operate && (selected.length > 0 || allMatching) && (
        <div className="card sales-actions" role="region" aria-label={t('selection')}>
          <p>
            {allMatching ? t('selectedAll', { count: total }) : t('selectedSome', { count: selected.length })}{' '}
            {!allMatching && table.getIsAllPageRowsSelected() && total > rows.length && (
              <button type="button" className="link" onClick={() => setAllMatching(true)}>
                {t('selectAllMatching', { count: total })}
              </button>
            )}
          </p>
          <div className="row">
            <button type="button" className="primary" disabled={restartable === 0 || (action !== null && !actionDone)} onClick={() => start('restart')}>
              {t('restart', { count: restartable })}
            </button>
            {kind === 'orders' && (
              <button type="button" disabled={bookable === 0 || (action !== null && !actionDone)} onClick={() => start('book')}>
                {t('book', { count: bookable })}
              </button>
            )}
          </div>
        </div>
      )}
      {action && (
        <ActionProgress
          key={action.id}
          run={action}
          sent={bulk.data}
          error={bulk.error}
          done={actionDone}
          onDone={() => setActionDone(true)}
          onClose={() => {
            setAction(null);
            bulk.reset();
          }}
        />
      )}

      <ErrorNotice error={list.error} />
      <TableView
        table={table}
        caption={t(`caption.${kind}`)}
        aria-label={t(`caption.${kind}`)}
        aria-busy={list.isFetching && !list.data}
        columnClass={(id) => (id === 'amount' ? 'num' : undefined)}
        rowClass={(row) => (row.getIsSelected() ? 'selected' : undefined)}
        after={
          list.data &&
          rows.length === 0 && (
            <tr>
              <td colSpan={columns.length}>{t(`empty.${kind}`)}</td>
            </tr>
          )
        }
      />
      {!list.data && list.isPending && <p className="loading">{t('loading', { ns: 'common' })}</p>}

      <div className="row sales-pages">
        <p aria-live="polite">{t('range', { first, last, total })}</p>
        <button type="button" disabled={!table.getCanPreviousPage()} onClick={() => table.previousPage()}>
          {t('previous')}
        </button>
        <button type="button" disabled={!table.getCanNextPage()} onClick={() => table.nextPage()}>
          {t('next')}
        </button>
        <label>
          {t('pageSize')}
          <select value={pageSize} onChange={(e) => table.setPageSize(Number(e.target.value))}>
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

function saleName(sale: Sale, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (sale.kind === 'orders') return t('orderName', { number: sale.orderNumber ?? sale.id });
  return t('refundName', { id: sale.id, number: sale.orderNumber ?? sale.orderId });
}

/** The order-number search: the list follows the typing after a short pause, not on every key. */
function SearchBox({ value, label, onChange }: { value: string; label: string; onChange: (q: string) => void }) {
  const [text, setText] = useState(value);
  // The URL changed from elsewhere (another tab of the list): show its search.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // The pause ends with the page's latest onChange: the one of the keystroke's render would set the URL from that
  // render's search params (react-router's setSearchParams reads them, not the current URL), undoing a filter chosen
  // meanwhile, e.g. a state picked just before typing.
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  return (
    <label>
      {label}
      <input
        type="search"
        value={text}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => latest.current(next.trim()), 300);
        }}
      />
    </label>
  );
}

interface ActionRun {
  id: number;
  verb: 'restart' | 'book';
  kind: Kind;
  body: Record<string, unknown>;
  expected: number;
}
interface ActionAnswer {
  matched: number;
  more: number;
  orderIds: string[];
  refundIds?: string[];
  since: string;
}
interface Sent {
  orderIds: string[];
  refundIds: string[];
  since: string;
}
interface ProgressAnswer {
  acted: number;
  settled: number;
  byStatus: Record<string, number>;
}

/** A bulk restart or booking's progress: how many have settled, asked every second and a half until all have. */
function ActionProgress({ run, sent, error, done, onDone, onClose }: { run: ActionRun; sent: Sent | undefined; error: unknown; done: boolean; onDone: () => void; onClose: () => void }) {
  const { t } = useTranslation('sales');
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const progress = useQuery({
    queryKey: ['shop', shopId, 'sales-progress', run.id],
    enabled: !!sent,
    queryFn: () => api<ProgressAnswer>('/v1/orders/progress', { method: 'POST', body: sent }),
    refetchInterval: (query) => (query.state.data && query.state.data.settled >= query.state.data.acted ? false : 1_500),
    gcTime: 0,
  });
  const finished = !!progress.data && progress.data.settled >= progress.data.acted;
  useEffect(() => {
    if (finished && !done) {
      onDone();
      void queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'sales'] });
    }
  }, [finished, done, onDone, queryClient, shopId]);

  const label = t(`progress.${run.verb}`);
  const byStatus = progress.data ? Object.entries(progress.data.byStatus).map(([s, n]) => `${n} ${t(`state.${s}`, { ns: 'common', defaultValue: s }).toLowerCase()}`) : [];
  return (
    <div className={`card sales-progress ${finished ? 'notice-ok' : ''}`}>
      <ErrorNotice error={error ?? progress.error} />
      <p role="status">
        {!sent && !error && t('progress.sending', { count: run.expected })}
        {progress.data && (finished ? t('progress.finished', { count: progress.data.acted }) : t('progress.running', { settled: progress.data.settled, total: progress.data.acted }))}
        {byStatus.length > 0 && ` (${byStatus.join(', ')})`}
      </p>
      {progress.data && <Progress done={progress.data.settled} total={progress.data.acted} label={label} />}
      {(finished || !!error) && (
        <button type="button" onClick={onClose}>
          {t('progress.close')}
        </button>
      )}
    </div>
  );
}
