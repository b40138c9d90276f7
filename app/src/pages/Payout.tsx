import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { StateLabel } from '../components/StateLabel';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { usePayoutActions } from './payouts/actions';
import { errorText, payoutApiPath, payoutKeys, refreshMs, unfinished, type PayoutLineRow, type PayoutLines, type PayoutRow } from './payouts/api';
import { DataTable, type Columns } from './payouts/DataTable';

const linesPerPage = 50;

/** One payout: its state, how it is booked (bank, fees, receivables, error account) and every line with its order. */
export function Payout() {
  const { t } = useTranslation('payouts');
  const { connectionId = '', payoutId = '' } = useParams();
  const shopId = useShopId();
  const { can } = useSession();
  const path = payoutApiPath(connectionId, payoutId);
  const { restart, book, awaitingChange } = usePayoutActions();
  const payout = useQuery({
    queryKey: payoutKeys.one(shopId, connectionId, payoutId),
    queryFn: () => api<PayoutRow>(path),
    refetchInterval: (q) => (q.state.data && (unfinished(q.state.data.status) || awaitingChange(q.state.data)) ? refreshMs : false),
  });
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const status = payout.data?.status;
  const lines = useQuery({
    // The status is part of the key: lines learn what they settle when the payout is matched.
    queryKey: [...payoutKeys.lines(shopId, connectionId, payoutId, cursor), status],
    queryFn: () => api<PayoutLines>(`${path}/lines`, { query: { limit: linesPerPage, cursor } }),
    enabled: status !== undefined,
    placeholderData: keepPreviousData,
  });

  return (
    <div className="stack">
      <p>
        <Link to="/payouts">← {t('title')}</Link>
      </p>
      <h1>
        {t('payout.title', { payout: payoutId })} {payout.data && <StateLabel status={payout.data.status} since={payout.data.updatedAt} />}
      </h1>
      <ErrorNotice error={payout.error ?? restart.error ?? book.error} />
      {payout.data && (
        <>
          {payout.data.error && (
            <div className="notice notice-bad" role="alert">
              <strong>{errorText(payout.data.error)}</strong>
              <p className="fix">{t('payout.fix', { fix: payout.data.error.fix })}</p>
            </div>
          )}
          <div role="status">
            {restart.isSuccess && t('actions.restarted', { payout: payoutId })}
            {book.isSuccess && t('actions.booked', { payout: payoutId })}
          </div>
          {can('operate') && (payout.data.status === 'failed' || payout.data.status === 'registered') && (
            <div className="row">
              {payout.data.status === 'failed' ? (
                <button type="button" className="primary" disabled={restart.isPending} onClick={() => restart.mutate(payout.data!)}>
                  {t('actions.restart')}
                </button>
              ) : (
                <button type="button" className="primary" disabled={book.isPending} onClick={() => book.mutate(payout.data!)}>
                  {t('actions.book')}
                </button>
              )}
            </div>
          )}
          <Summary payout={payout.data} lines={lines.data} />
        </>
      )}
      <ErrorNotice error={lines.error} />
      {lines.data && (
        <>
          <Booking payout={payout.data!} lines={lines.data} />
          <section className="card stack payouts-section" aria-labelledby="payout-lines-title">
            <h2 id="payout-lines-title">{t('lines.title', { count: lines.data.totals.lines })}</h2>
            {!lines.data.matched && <p className="notice notice-wait">{t('lines.notMatched')}</p>}
            <LinesTable lines={lines.data.lines} />
            {(cursors.length > 1 || lines.data.nextCursor) && (
              <nav className="row pager" aria-label={t('lines.pages')}>
                <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  {t('list.previous')}
                </button>
                <span>{t('list.page', { page: cursors.length })}</span>
                <button type="button" disabled={!lines.data.nextCursor} onClick={() => setCursors((c) => [...c, lines.data!.nextCursor])}>
                  {t('list.next')}
                </button>
              </nav>
            )}
          </section>
        </>
      )}
    </div>
  );
}

/** The payout at a glance: who paid, when, what reached the bank and the voucher it is booked as. */
function Summary({ payout, lines }: { payout: PayoutRow; lines: PayoutLines | undefined }) {
  const { t } = useTranslation('payouts');
  const locale = currentLocale();
  const items: [string, ReactNode][] = [
    [t('payout.acquirer'), payout.acquirer],
    [t('payout.paidOut'), formatDate(payout.paidOutAt, locale)],
    [t('payout.net'), <Money minor={payout.netAmount} currency={payout.currency} />],
    ...(lines ? ([[t('payout.fees'), <Money minor={lines.totals.fees} currency={lines.currency} />]] as [string, ReactNode][]) : []),
    [t('payout.voucher'), payout.voucherNumber ? t(payout.voucherState === 'in_journal' ? 'payout.voucherInJournal' : 'payout.voucherNumber', { number: payout.voucherNumber }) : '–'],
  ];
  return (
    <dl className="cards payout-summary">
      {items.map(([label, value]) => (
        <div className="card" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * How the payout is booked, as one voucher: the bank line, the fees, the receivable entries the lines settle,
 * disputes, and each line the error account takes with its reason. Amounts add up: settled + disputes + error
 * account − fees = to the bank.
 */
function Booking({ payout, lines }: { payout: PayoutRow; lines: PayoutLines }) {
  const { t } = useTranslation('payouts');
  const { totals, currency, accounts } = lines;
  const money = (minor: number) => <Money minor={minor} currency={currency} />;
  const account = (a: string | null | undefined) => (a ? t('booking.account', { account: a }) : '');
  const rows: { key: string; what: string; account: string; amount: number }[] = [
    { key: 'bank', what: t('booking.bank'), account: account(accounts?.bank), amount: totals.net },
    { key: 'fees', what: t('booking.fees'), account: account(accounts?.fee), amount: totals.fees },
    // Before matching nothing is settled yet: only what the acquirer reported (bank, fees, the lines' total) is known.
    ...(lines.matched ? [{ key: 'settled', what: t('booking.settled', { count: totals.settled }), account: t('booking.receivables'), amount: totals.settledAmount }] : []),
    ...(totals.disputes ? [{ key: 'disputes', what: t('booking.disputes', { count: totals.disputes }), account: account(accounts?.disputes), amount: totals.disputesAmount }] : []),
    ...(totals.errorAccount ? [{ key: 'error', what: t('booking.errorAccount', { count: totals.errorAccount }), account: account(accounts?.error), amount: totals.errorAccountAmount }] : []),
  ];
  return (
    <section className="card stack payouts-section" aria-labelledby="payout-booking-title">
      <h2 id="payout-booking-title">{payout.status === 'booked' ? t('booking.titleBooked') : t('booking.title')}</h2>
      <table className="payout-booking">
        <caption className="visually-hidden">{t('booking.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('booking.what')}</th>
            <th scope="col">{t('booking.accountColumn')}</th>
            <th scope="col" className="num">
              {t('booking.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={`booking-${r.key}`}>
              <th scope="row">{r.what}</th>
              <td>{r.account}</td>
              <td className="num">{money(r.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('booking.gross')}</th>
            <td />
            <td className="num">{money(totals.gross)}</td>
          </tr>
        </tfoot>
      </table>
      {lines.errorLines.length > 0 && (
        <>
          <h3>{t('booking.errorLinesTitle', { account: accounts?.error ?? '' })}</h3>
          <ul className="error-lines">
            {lines.errorLines.map((e) => (
              <li key={e.lineNo}>
                <strong>{t('booking.errorLine', { line: e.lineNo })}</strong> ({money(e.amount)}) {e.reason}
              </li>
            ))}
          </ul>
          {totals.errorAccount > lines.errorLines.length && <p className="fix">{t('booking.moreErrorLines', { count: totals.errorAccount - lines.errorLines.length })}</p>}
        </>
      )}
    </section>
  );
}

function LinesTable({ lines }: { lines: PayoutLineRow[] }) {
  const { t, i18n } = useTranslation('payouts');
  const columns = useMemo<Columns<PayoutLineRow>>(() => {
    const locale = currentLocale();
    return [
      { id: 'lineNo', header: t('lines.lineNo'), cell: ({ row }) => row.original.lineNo },
      { id: 'date', header: t('lines.date'), cell: ({ row }) => formatDate(row.original.date, locale) },
      { id: 'type', header: t('lines.type'), cell: ({ row }) => t(`lineType.${row.original.type}`, { defaultValue: row.original.type }) },
      {
        id: 'reference',
        header: t('lines.reference'),
        cell: ({ row }) => (
          <>
            {row.original.transactionId && <code>{row.original.transactionId}</code>}
            {row.original.orderReference && <div className="fix">{t('lines.orderReference', { reference: row.original.orderReference })}</div>}
          </>
        ),
      },
      { id: 'settles', header: t('lines.settles'), cell: ({ row }) => <Settles line={row.original} /> },
      { id: 'amount', header: t('lines.amount'), cell: ({ row }) => <Money minor={row.original.amount} currency={row.original.currency} /> },
      { id: 'fee', header: t('lines.fee'), cell: ({ row }) => (row.original.fee ? <Money minor={row.original.fee} currency={row.original.currency} /> : '–') },
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [t, i18n.language]);
  return <DataTable columns={columns} data={lines} caption={t('lines.caption')} numeric={['amount', 'fee']} nowrap={['date']} rowId={(l) => String(l.lineNo)} />;
}

/** What a line did: the order it settled (a link), the order it disputes, a fee, or why it went to the error account. */
function Settles({ line }: { line: PayoutLineRow }) {
  const { t } = useTranslation('payouts');
  const orderLink = (orderId: string | null, orderNumber: string | null) =>
    orderId ? <Link to={`/sales/orders/${encodeURIComponent(orderId)}`}>{t('lines.order', { number: orderNumber ?? orderId })}</Link> : (orderNumber ?? '');
  switch (line.destination) {
    case 'receivable': {
      const s = line.settles!;
      return (
        <>
          {s.kind === 'refund_payment' ? (
            <>
              <Link to={`/sales/refunds/${encodeURIComponent(s.reference)}`}>{t('lines.refund', { refund: s.reference })}</Link> · {orderLink(s.orderId, s.orderNumber)}
            </>
          ) : (
            orderLink(s.orderId, s.orderNumber)
          )}
          {line.rule && <div className="fix">{t(`rule.${line.rule}`, { defaultValue: line.rule })}</div>}
        </>
      );
    }
    case 'disputes':
      return (
        <>
          {t('lines.disputes')} {orderLink(line.disputes!.orderId, line.disputes!.orderNumber)}
        </>
      );
    case 'fees':
      return <span className="fix">{t('lines.feeLine')}</span>;
    case 'error_account':
      return (
        <>
          <span className="state state-bad">{t('lines.errorAccount')}</span>
          <div className="fix">{line.reason}</div>
        </>
      );
    default:
      return <span className="fix">{t('lines.notPlanned')}</span>;
  }
}
