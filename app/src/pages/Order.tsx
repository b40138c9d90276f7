import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { useSession, useShopId } from '../api/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Money } from '../components/Money';
import { StateLabel } from '../components/StateLabel';
import { formatDate } from '../format';
import { currentLocale } from '../i18n';
import { fromOrder, fromRefund, refreshEvery, SaleState, type Kind, type OrderView, type RefundView, type Sale, type TimelineEvent } from './sales-shared';

/**
 * One order or refund (issue 14): its state with the error's message and fix and a Restart button, its documents in the
 * ledger (voucher numbers and how the ledger holds them), every step of its timeline, and an order's refunds. While
 * it is on its way (or a restart or booking was just sent) the page asks again, so the change shows without a reload.
 */
export function Order() {
  const { t } = useTranslation('sales');
  const params = useParams();
  const kind: Kind = params.kind === 'refunds' ? 'refunds' : 'orders';
  const id = params.id ?? '';
  const shopId = useShopId();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const path = `/v1/${kind}/${encodeURIComponent(id)}`;
  // After a restart or booking the state is unchanged until the workflow writes its next one: ask again until then.
  const [sentAt, setSentAt] = useState<string | null>(null);
  const sent = (data: Sale | undefined) => !!data && sentAt !== null && data.updatedAt === sentAt;
  /** How often the sale (and an order's refunds) is asked again: soon after a restart, else as its state moves. */
  const every = (data: Sale | undefined) => (sent(data) ? 1_500 : refreshEvery(data ? [data.status] : []));

  const sale = useQuery({
    queryKey: ['shop', shopId, 'sale', kind, id],
    queryFn: async (): Promise<Sale> => (kind === 'orders' ? fromOrder(await api<OrderView>(path)) : fromRefund(await api<RefundView>(path))),
    refetchInterval: (query) => every(query.state.data),
  });
  const timeline = useQuery({
    queryKey: ['shop', shopId, 'sale', kind, id, 'timeline', sale.data?.updatedAt],
    queryFn: () => api<{ events: TimelineEvent[] }>(`${path}/timeline`),
    enabled: !!sale.data,
    placeholderData: (previous) => previous,
  });
  const refunds = useQuery({
    queryKey: ['shop', shopId, 'sales', 'refunds', { orderId: id }],
    queryFn: () => api<{ refunds: RefundView[] }>('/v1/refunds', { query: { orderId: id, sort: 'newest', limit: 100 } }),
    enabled: kind === 'orders' && !!sale.data,
    refetchInterval: every(sale.data),
  });

  const act = useMutation({
    mutationFn: (verb: 'restart' | 'book-draft') => api(`${path}/${verb}`, { method: 'POST' }),
    onMutate: () => setSentAt(sale.data?.updatedAt ?? null),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['shop', shopId, 'sales'] }),
    onError: () => setSentAt(null),
  });

  if (sale.error) return <ErrorNotice error={sale.error} />;
  if (!sale.data) return <p className="loading">{t('loading', { ns: 'common' })}</p>;
  const s = sale.data;
  const title = kind === 'orders' ? t('orderName', { number: s.orderNumber ?? s.id }) : t('refundName', { id: s.id, number: s.orderNumber ?? s.orderId });
  const waitingForRestart = sent(s);

  return (
    <div className="stack sale-page">
      <p>
        <Link to={kind === 'orders' ? '/sales' : '/sales?kind=refunds'}>{t('back')}</Link>
      </p>
      <h1>{title}</h1>
      <section className="card" aria-labelledby="sale-state">
        <h2 id="sale-state" className="visually-hidden">
          {t('column.state')}
        </h2>
        <dl className="sale-facts">
          <dt>{t('column.state')}</dt>
          <dd>
            <div role="status">
              {/* The error's message and fix stand in full right below. */}
              <SaleState sale={s} withError={false} />
            </div>
          </dd>
          <dt>{t('column.amount')}</dt>
          <dd>
            <Money minor={s.amount} currency={s.currency} />
          </dd>
          <dt>{t('column.date')}</dt>
          <dd>{formatDate(s.date, currentLocale())}</dd>
          {kind === 'refunds' && (
            <>
              <dt>{t('column.order')}</dt>
              <dd>
                <Link to={`/sales/orders/${encodeURIComponent(s.orderId)}`}>{t('orderName', { number: s.orderNumber ?? s.orderId })}</Link>
              </dd>
            </>
          )}
        </dl>
        {s.error && (
          <div className="notice notice-bad">
            <p>
              <strong>{s.error.message}</strong> <code>{s.error.code}</code>
            </p>
            <p>
              {t('fix')}: {s.error.fix}
            </p>
          </div>
        )}
        {can('operate') && (s.status === 'failed' || (kind === 'orders' && s.status === 'drafted')) && (
          <div className="row">
            {s.status === 'failed' ? (
              <button type="button" className="primary" disabled={act.isPending || waitingForRestart} onClick={() => act.mutate('restart')}>
                {t('restartOne')}
              </button>
            ) : (
              <button type="button" className="primary" disabled={act.isPending || waitingForRestart} onClick={() => act.mutate('book-draft')}>
                {t('bookOne')}
              </button>
            )}
          </div>
        )}
        {waitingForRestart && <p role="status">{t('sent')}</p>}
        <ErrorNotice error={act.error} />
      </section>

      <section className="card" aria-labelledby="sale-documents">
        <h2 id="sale-documents">{t('documents')}</h2>
        <table aria-labelledby="sale-documents">
          <thead>
            <tr>
              <th scope="col">{t('document.name')}</th>
              <th scope="col">{t('document.voucher')}</th>
              <th scope="col">{t('document.state')}</th>
            </tr>
          </thead>
          <tbody>
            {s.documents.map((d) => (
              <tr key={d.label}>
                <th scope="row">{t(`document.${d.label}`)}</th>
                <td>{d.number ?? '–'}</td>
                <td>{d.state ? t(`documentState.${d.state}`) : t('documentState.none')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {kind === 'orders' && refunds.data && refunds.data.refunds.length > 0 && (
        <section className="card" aria-labelledby="sale-refunds">
          <h2 id="sale-refunds">{t('kind.refunds')}</h2>
          <ul className="sale-refund-list">
            {refunds.data.refunds.map(fromRefund).map((r) => (
              <li key={r.id}>
                <Link to={`/sales/refunds/${encodeURIComponent(r.id)}`}>{r.id}</Link> <Money minor={r.amount} currency={r.currency} /> <SaleState sale={r} compact />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="sale-timeline">
        <h2 id="sale-timeline">{t('timeline')}</h2>
        <ErrorNotice error={timeline.error} />
        <ol className="sale-timeline">
          {timeline.data?.events.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatDate(e.at, currentLocale())}</time> <StateLabel status={e.status} past />
              {e.reason && <span className="sale-reason"> {e.reason}</span>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
