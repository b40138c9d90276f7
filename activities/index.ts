import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { CredentialBox } from '../src/crypto/credentials';
import { backfillActivities } from './backfill';
import { channelRefundActivities } from './channel-refunds';
import { contextActivities, type WaitLimits } from './context';
import { fetchPayoutActivities } from './fetch-payouts';
import { lockActivities } from './lock';
import { orderTransactionActivities } from './order-transactions';
import { payoutActivities } from './payouts';
import { pollDandomainActivities } from './poll-dandomain';
import { postingActivities } from './postings';
import { settlementUploadActivities } from './settlement-uploads';
import { statusActivities } from './status';

export interface ActivityDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  leaseMs: number;
  credentials?: CredentialBox;
  stripeBaseUrl?: string;
  nexiBaseUrl?: string;
  vippsBaseUrl?: string;
  clearhausBaseUrl?: string;
  lockScope?: 'ledger' | 'global';
  postingRecheckMs?: number;
  waitLimits?: WaitLimits;
  /** Tests only (TEST_ENDPOINTS): ledger base URLs and http store URLs on this machine are taken. */
  testEndpoints?: boolean;
  /** PAYOUT_MAX_VOUCHER_LINES: a payout with more voucher lines is booked in parts (activities/payouts.ts). */
  payoutMaxVoucherLines?: number;
}

/** All activities, bound to their dependencies; the worker registers what this returns. */
export function createActivities(deps: ActivityDeps) {
  const ledgers = new LedgerRegistry(deps.db, deps.credentials, deps.testEndpoints);
  const status = statusActivities(deps.db);
  return {
    ...contextActivities(deps.db, deps.waitLimits),
    ...postingActivities(deps.db, ledgers),
    ...payoutActivities(deps.db, ledgers, deps.payoutMaxVoucherLines),
    ...status,
    ...lockActivities(deps.db, deps.client, deps),
    ...fetchPayoutActivities(deps),
    ...settlementUploadActivities(deps),
    ...channelRefundActivities({ db: deps.db, temporal: deps.client, taskQueue: deps.taskQueue, credentials: deps.credentials, testEndpoints: deps.testEndpoints }),
    ...orderTransactionActivities(deps),
    ...backfillActivities(deps),
    ...pollDandomainActivities(deps),
  };
}
