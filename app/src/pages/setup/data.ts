import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import { useSession, useShopId } from '../../api/session';

/** The mapping as the API holds it (src/domain/mapping.ts): the enrichment templates and what payments book to. */
export type Region = 'domestic' | 'eu' | 'outsideEu';
export const regions: Region[] = ['domestic', 'eu', 'outsideEu'];
export interface AccountWithVat {
  account: string;
  vatCode: string;
}
export interface Mapping {
  homeCountry: string;
  readyStatuses: string[];
  goods: Record<Region, AccountWithVat>;
  shipping: Record<Region, AccountWithVat>;
  customerReceivableAccount: string;
  vatCodes: Record<string, { rate: number; account: string }>;
  paymentMethods: Record<string, { acquirer: string; receivableAccount: string }>;
  acquirers?: Record<string, { fee?: string; disputes?: string }>;
  accounts: { bank: string; fee: string; error: string; rounding: string; currencyDifference?: string };
  giftCardAccount?: string;
  [other: string]: unknown;
}
export interface Chart {
  system: string;
  accounts: { number: string; name: string | null }[];
  vatCodes: { code: string; rate: number | null; name: string | null }[];
  createsAccounts: boolean;
}
export interface SetupReport {
  missingAccounts: string[];
  missingVatCodes: string[];
  missingPaymentTerms: string[];
}
export interface LedgerConnectionView {
  system: string;
  settings: Record<string, unknown> | null;
  credentialsSaved: boolean;
}
export interface ChannelView {
  platform: string | null;
  webhookUrl: string | null;
  storeUrl: string | null;
  restApi: { configured: boolean };
  secretSaved: boolean;
}
export interface AcquirerConnection {
  connectionId: string;
  acquirer: string;
  source: string;
  takesFiles: boolean;
  createdAt: string;
}

/** A GET whose "not there yet" answer (404 no mapping, 409 nothing to check) is a state, not an error. */
async function orNull<T>(ask: Promise<T>, statuses: number[]): Promise<T | null> {
  try {
    return await ask;
  } catch (err) {
    if (err instanceof ApiError && statuses.includes(err.status)) return null;
    throw err;
  }
}

export const setupKey = (shopId: string, what: string) => ['shop', shopId, 'setup', what] as const;

export function useLedgerConnection() {
  const shopId = useShopId();
  return useQuery({ queryKey: setupKey(shopId, 'ledger-connection'), queryFn: () => api<LedgerConnectionView>('/v1/ledger/connection') });
}

export function useLedger() {
  const shopId = useShopId();
  return useQuery({ queryKey: setupKey(shopId, 'ledger'), queryFn: () => api<{ system: string; mode: string; currency: string }>('/v1/ledger') });
}

export function useChart() {
  const shopId = useShopId();
  return useQuery({ queryKey: setupKey(shopId, 'chart'), queryFn: () => api<Chart>('/v1/ledger/accounts'), staleTime: 60_000 });
}

export function useMapping() {
  const shopId = useShopId();
  return useQuery({ queryKey: setupKey(shopId, 'mapping'), queryFn: () => orNull(api<Mapping>('/v1/mapping'), [404]) });
}

/** The ledger's setup check of the saved mapping; asked only of owners (it calls the ledger system). */
export function useSetupCheck(hasMapping: boolean) {
  const shopId = useShopId();
  const { can } = useSession();
  return useQuery({
    queryKey: setupKey(shopId, 'check'),
    queryFn: () => orNull(api<{ setup: SetupReport }>('/v1/ledger/setup-check', { method: 'POST' }).then((r) => r.setup), [409]),
    enabled: hasMapping && can('configure'),
  });
}

export function useChannel() {
  const shopId = useShopId();
  return useQuery({ queryKey: setupKey(shopId, 'channel'), queryFn: () => api<ChannelView>('/v1/channel') });
}

export function useAcquirers() {
  const shopId = useShopId();
  // null: this API has no list of connections (GET /v1/acquirers came with the payouts pages).
  return useQuery({ queryKey: setupKey(shopId, 'acquirers'), queryFn: () => orNull(api<{ connections: AcquirerConnection[] }>('/v1/acquirers').then((r) => r.connections), [404]) });
}

/** PUT /v1/mapping (templates and payment methods are one mapping); its answer is the setup check of what was saved. */
export function useSaveMapping() {
  const shopId = useShopId();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Mapping) => api<{ setup: SetupReport }>('/v1/mapping', { method: 'PUT', body }),
    onSuccess: (answer) => {
      queryClient.setQueryData(setupKey(shopId, 'check'), answer.setup);
      void queryClient.invalidateQueries({ queryKey: setupKey(shopId, 'mapping') });
    },
  });
}
