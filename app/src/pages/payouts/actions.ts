import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useShopId } from '../../api/session';
import { payoutApiPath, payoutKeys } from './api';

export interface PayoutKey {
  connectionId: string;
  payoutId: string;
}

/**
 * Restart a failed payout, or book one held back (registered: history, or automatic transfer not yet activated) by
 * marking it for transfer. Both change what every payouts query shows, so all of them are refreshed.
 */
export function usePayoutActions() {
  const shopId = useShopId();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: payoutKeys.all(shopId) });
  const restart = useMutation({
    mutationFn: (p: PayoutKey) => api<{ restarted: boolean }>(`${payoutApiPath(p.connectionId, p.payoutId)}/restart`, { method: 'POST' }),
    onSuccess: refresh,
  });
  const restartAll = useMutation({
    mutationFn: () => api<{ matched: number; restarted: number }>('/v1/payouts/restart', { method: 'POST', body: {} }),
    onSuccess: refresh,
  });
  const book = useMutation({
    mutationFn: (p: PayoutKey) => api<{ marked: number }>('/v1/transfer/mark', { method: 'POST', body: { payouts: [p] } }),
    onSuccess: refresh,
  });
  return { restart, restartAll, book };
}
