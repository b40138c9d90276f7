import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, apiFile } from '../api/client';
import { useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { StateLabel } from '../components/StateLabel';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { monthToDate } from '../period';

interface Amount {
  count: number;
  amount: number;
}
interface BalanceReport {
  currency: string;
  period: { from: string; to: string };
  ordersBooked: Amount;
  drafts: Amount;
  paymentsRegistered: Amount;
  refunds: Amount;
  payouts: { count: number; net: number; fees: number; linesMatched: number; linesUnmatched: number };
  errorAccount: { payoutId: string; lineNo: number; amount: number; reason: string }[];
  disputes: { acquirer: string; payoutId: string; lineNo: number; type: string; amount: number; orderNumber: string | null }[];
  unfinished: { subject: 'order' | 'refund' | 'payout'; id: string; orderNumber: string | null; date: string; status: string; reason: string }[];
  acquirers: { acquirer: string; receivableAccount: string; feeAccount: string; fees: number; ledgerBalance: number | null; unpaidPayments: number; difference: number | null; balanced: boolean }[];
  discrepancies: { ordersWithoutPayment: string[]; paymentsWithoutInvoice: string[] };
  clean: boolean;
}

/** The balance report of a period on screen, and as files: CSV for a Nordic spreadsheet, or JSON. */
export function Report() {
  const { t } = useTranslation('report');
  const shopId = useShopId();
  const [period, setPeriod] = useState(monthToDate);
  const valid = period.from <= period.to;
  const query = useQuery({
    queryKey: ['shop', shopId, 'report', 'balance', period.from, period.to],
    queryFn: () => api<BalanceReport>('/v1/reports/balance', { query: period }),
    enabled: valid,
  });
  const download = useMutation({
    mutationFn: async (kind: 'csv' | 'json') => {
      const { blob, filename } = await apiFile('/v1/reports/balance', kind === 'csv' ? { ...period, format: 'csv', style: 'nordic' } : { ...period, format: 'json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename ?? `balance-${period.from}-${period.to}.${kind}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return a.download;
    },
  });
  const r = query.data;
  const c = r?.currency ?? 'DKK';
  const locale = currentLocale();
  return (
    <div className="stack report">
      <h1>{t('title')}</h1>
      <form className="row" onSubmit={(e) => e.preventDefault()} aria-label={t('period')}>
        <label>
          {t('from')}
          <input type="date" value={period.from} onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, from: e.target.value }))} />
        </label>
        <label>
          {t('to')}
          <input type="date" value={period.to} onChange={(e) => e.target.value && setPeriod((p) => ({ ...p, to: e.target.value }))} />
        </label>
        <button type="button" disabled={!valid || download.isPending} onClick={() => download.mutate('csv')}>
          {t('downloadCsv')}
        </button>
        <button type="button" disabled={!valid || download.isPending} onClick={() => download.mutate('json')}>
          {t('downloadJson')}
        </button>
      </form>
      <p className="fix">{t('csvHint')}</p>
      <p role="status">{download.data && t('downloaded', { file: download.data })}</p>
      {!valid && <p className="notice notice-bad">{t('badPeriod')}</p>}
      <ErrorNotice error={query.error ?? download.error} />
      {query.isFetching && !r && <p className="loading">{t('loading')}</p>}
      {r && (
        <>
          <p className={`notice ${r.clean ? 'notice-ok' : 'notice-wait'}`}>{r.clean ? t('clean') : t('notClean')}</p>
          <TableCard id="totals-heading" title={t('totals.title', { from: formatDate(r.period.from, locale), to: formatDate(r.period.to, locale) })} columns={[{ label: t('item') }, { label: t('count'), num: true }, { label: t('amount'), num: true }]}>
                {(
                  [
                    ['ordersBooked', r.ordersBooked],
                    ['drafts', r.drafts],
                    ['paymentsRegistered', r.paymentsRegistered],
                    ['refunds', r.refunds],
                  ] as const
                ).map(([key, v]) => (
                  <tr key={key}>
                    <th scope="row">{t(`totals.${key}`)}</th>
                    <td className="num">{v.count}</td>
                    <td className="num">
                      <Money minor={v.amount} currency={c} />
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('totals.payoutsNet')}</th>
                  <td className="num">{r.payouts.count}</td>
                  <td className="num">
                    <Money minor={r.payouts.net} currency={c} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t('totals.fees')}</th>
                  <td className="num" />
                  <td className="num">
                    <Money minor={r.payouts.fees} currency={c} />
                  </td>
                </tr>
                <tr>
                  <th scope="row">{t('totals.lines', { matched: r.payouts.linesMatched, unmatched: r.payouts.linesUnmatched })}</th>
                  <td className="num">{r.payouts.linesMatched + r.payouts.linesUnmatched}</td>
                  <td className="num" />
                </tr>
            </TableCard>

          <TableCard
            id="acq-heading"
            title={t('acquirers.title')}
            explain={t('acquirers.explain')}
            empty={r.acquirers.length === 0 ? t('none') : undefined}
            columns={[{ label: t('acquirers.acquirer') }, { label: t('acquirers.account') }, { label: t('acquirers.balance'), num: true }, { label: t('acquirers.unpaid'), num: true }, { label: t('acquirers.fees'), num: true }, { label: t('acquirers.check') }]}
          >
            {r.acquirers.map((a) => (
              <tr key={a.acquirer}>
                <td>{a.acquirer}</td>
                <td>{a.receivableAccount}</td>
                <td className="num">{a.ledgerBalance === null ? '–' : <Money minor={a.ledgerBalance} currency={c} />}</td>
                <td className="num">
                  <Money minor={a.unpaidPayments} currency={c} />
                </td>
                <td className="num">
                  <Money minor={a.fees} currency={c} />
                </td>
                <td>
                  {a.difference === null ? (
                    <span className="state state-muted">{t('acquirers.hosted')}</span>
                  ) : a.balanced ? (
                    <span className="state state-ok">{t('acquirers.balanced')}</span>
                  ) : (
                    <span className="state state-bad">
                      {t('acquirers.off')} <Money minor={a.difference} currency={c} />
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </TableCard>

          {r.unfinished.length > 0 && (
            <TableCard id="unfinished-heading" title={t('unfinished.title', { count: r.unfinished.length })} columns={[{ label: t('unfinished.what') }, { label: t('unfinished.date') }, { label: t('unfinished.state') }, { label: t('unfinished.reason') }]}>
                  {r.unfinished.map((u) => (
                    <tr key={`${u.subject}/${u.id}`}>
                      <td>{u.subject === 'payout' ? t('unfinished.payout', { id: u.id }) : <Link to={`/sales/${u.subject}/${encodeURIComponent(u.id)}`}>{t(`unfinished.${u.subject}`, { id: u.orderNumber ?? u.id })}</Link>}</td>
                      <td>{formatDate(u.date, locale)}</td>
                      <td>
                        <StateLabel status={u.status} />
                      </td>
                      <td className="fix">{u.reason}</td>
                    </tr>
                  ))}
            </TableCard>
          )}

          {r.errorAccount.length > 0 && (
            <TableCard id="error-account-heading" title={t('errorAccount.title')} explain={t('errorAccount.explain')} columns={[{ label: t('errorAccount.line') }, { label: t('amount'), num: true }, { label: t('unfinished.reason') }]}>
                  {r.errorAccount.map((e) => (
                    <tr key={`${e.payoutId}/${e.lineNo}`}>
                      <td>{t('errorAccount.payoutLine', { payout: e.payoutId, line: e.lineNo })}</td>
                      <td className="num">
                        <Money minor={e.amount} currency={c} />
                      </td>
                      <td className="fix">{e.reason}</td>
                    </tr>
                  ))}
            </TableCard>
          )}

          {r.disputes.length > 0 && (
            <TableCard id="disputes-heading" title={t('disputes.title')} columns={[{ label: t('acquirers.acquirer') }, { label: t('disputes.order') }, { label: t('disputes.type') }, { label: t('amount'), num: true }]}>
                  {r.disputes.map((d) => (
                    <tr key={`${d.payoutId}/${d.lineNo}`}>
                      <td>{d.acquirer}</td>
                      <td>{d.orderNumber ?? '–'}</td>
                      <td>{d.type}</td>
                      <td className="num">
                        <Money minor={d.amount} currency={c} />
                      </td>
                    </tr>
                  ))}
            </TableCard>
          )}

          {(r.discrepancies.ordersWithoutPayment.length > 0 || r.discrepancies.paymentsWithoutInvoice.length > 0) && (
            <section className="card" aria-labelledby="discrepancies-heading">
              <h2 id="discrepancies-heading">{t('discrepancies.title')}</h2>
              {r.discrepancies.ordersWithoutPayment.length > 0 && <p>{t('discrepancies.withoutPayment', { orders: r.discrepancies.ordersWithoutPayment.join(', ') })}</p>}
              {r.discrepancies.paymentsWithoutInvoice.length > 0 && <p>{t('discrepancies.withoutInvoice', { orders: r.discrepancies.paymentsWithoutInvoice.join(', ') })}</p>}
            </section>
          )}
        </>
      )}
    </div>
  );
}

/** A card with a heading, an optional explanation and a table labelled by the heading; the rows are the children. */
function TableCard({ id, title, explain, empty, columns, children }: { id: string; title: string; explain?: string; empty?: string; columns: { label: string; num?: boolean }[]; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {explain && <p className="fix">{explain}</p>}
      {/* With nothing to list, the card says so in words instead of showing an empty table. */}
      {empty !== undefined ? (
        <p>{empty}</p>
      ) : (
        <table aria-labelledby={id}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col" key={c.label} className={c.num ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      )}
    </section>
  );
}
