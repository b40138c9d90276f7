import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import type { CredentialBox } from '../crypto/credentials';
import type { WorkLimits } from '../services/work-limits';

/** What route plugins need: the database, the Temporal client and the task queue workflows run on. */
export interface ApiServices {
  db: Db;
  temporal: Client;
  taskQueue: string;
  /** Seals credentials before they are stored; absent when CREDENTIALS_KEY is not set. */
  credentials?: CredentialBox;
  fetchPayoutsEveryMinutes?: number;
  /** Tests only (TEST_ENDPOINTS): vendor base URLs and http store URLs on this machine are taken. */
  testEndpoints?: boolean;
  /** Per-shop limits on bookings a request starts (src/services/work-limits.ts); the defaults there when unset. */
  workLimits?: WorkLimits;
}
