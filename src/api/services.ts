import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';

/** What route plugins need: the database, the Temporal client and the task queue workflows run on. */
export interface ApiServices {
  db: Db;
  temporal: Client;
  taskQueue: string;
}
