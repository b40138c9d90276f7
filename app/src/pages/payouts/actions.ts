import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api } from '../../api/client';
import { useShopId } from '../../api/session';
import { payoutApiPath, payoutKeys, type PayoutRow } from './api';

const keyOf = (p: PayoutRow) => `${p.connectionId}/${p.payoutId}`;

/**
 * Restart a failed payout (one, or all failed ones), or book one held back (registered: history, or automatic
 * transfer not yet activated) by marking it for transfer. Both change what every payouts query shows, so all are
 * refreshed; and since the booking takes the signal a moment later, a payout acted on is asked again until its state
 * has moved (`awaitingChange`): a person sees it leave "Failed" or "Held back" without reloading.
 */
export function usePayoutActions() {
  const shopId = useShopId();
  const queryClient = useQueryClient();
  // Payout → its updatedAt when it was acted on.
  const [actedOn, setActedOn] = useState<Record<string, string>>({});
  const done = (rows: PayoutRow[]) => {
    setActedOn((a) => ({ ...a, ...Object.fromEntries(rows.map((p) => [keyOf(p), p.updatedAt])) }));
    return queryClient.invalidateQueries({ queryKey: payoutKeys.all(shopId) });
  };
  const restart = useMutation({
    mutationFn: (p: PayoutRow) => api<{ restarted: boolean }>(`${payoutApiPath(p.connectionId, p.payoutId)}/restart`, { method: 'POST' }),
    onSuccess: (_answer, p) => done([p]),
  });
  const restartAll = useMutation({
    mutationFn: (_failedOnScreen: PayoutRow[]) => api<{ matched: number; restarted: number }>('/v1/payouts/restart', { method: 'POST', body: {} }),
    onSuccess: (_answer, rows) => done(rows),
  });
  const book = useMutation({
    mutationFn: (p: PayoutRow) => api<{ marked: number }>('/v1/transfer/mark', { method: 'POST', body: { payouts: [{ connectionId: p.connectionId, payoutId: p.payoutId }] } }),
    onSuccess: (_answer, p) => done([p]),
  });
  const awaitingChange = useCallback((p: PayoutRow) => actedOn[keyOf(p)] === p.updatedAt, [actedOn]);
  return { restart, restartAll, book, awaitingChange };
}
