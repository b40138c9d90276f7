import { z } from 'zod';
import { parsePayloadKey } from './temporal/payload-codec';

const port = z.coerce.number().int().min(1).max(65535);
const isPayloadKey = (k: string) => {
  try {
    parsePayloadKey(k);
    return true;
  } catch {
    return false;
  }
};
const payloadKeyHint = 'expected 32 bytes in base64 (openssl rand -base64 32)';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a PostgreSQL URL such as postgres://user@host:5432/db')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** The address people open the app at (reset links point there); http://localhost:<PORT> when unset. */
  PUBLIC_URL: z.url().optional(),
  /** Requested reset links also go to the log, for development without mail: true by default in `npm run dev` only. */
  LOG_RESET_LINKS: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port, e.g. localhost:7233').default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('ledgerbridge'),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Where operators open the Temporal Web UI; the operator page links into its filtered workflow lists. */
  TEMPORAL_UI_URL: z.url().optional(),
  /** An existing `temporal` CLI for the dev server; found on PATH or in the cache when unset. */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** The prebuilt workflow bundle (npm run build:workflows); dist/workflow-bundle.js when unset. */
  WORKFLOW_BUNDLE: z.string().min(1).optional(),
  ADMIN_API_KEY: z.string().min(24, 'expected at least 24 characters (generate one with: openssl rand -hex 24)').optional(),
  /** Key that seals stored credentials (ledger tokens, acquirer API keys): 32 bytes, base64 (openssl rand -base64 32). */
  CREDENTIALS_KEY: z
    .string()
    .refine((k) => Buffer.from(k, 'base64').length === 32, 'expected 32 bytes in base64 (openssl rand -base64 32)')
    .optional(),
  /** Encrypts Temporal payloads (workflow and activity data) with AES-256-GCM when set; unset, they are plain JSON. */
  PAYLOAD_KEY: z.string().refine(isPayloadKey, payloadKeyHint).optional(),
  /** Earlier PAYLOAD_KEYs, comma-separated: they still decrypt histories written before a key rotation. */
  PAYLOAD_KEYS: z
    .string()
    .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))
    .refine((keys) => keys.every(isPayloadKey), `expected comma-separated keys, each ${payloadKeyHint}`)
    .optional(),
  /**
   * With PAYLOAD_KEY: until when payloads written in clear (before the key was switched on) are still read; after
   * it, a plain payload reads as refused, so nobody with access to Temporal can forge one. Set it past the end of
   * the longest workflow open when the key was switched on (an order watches for 30 days after booking).
   */
  PAYLOAD_PLAIN_UNTIL: z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional(),
  /**
   * Only for tests: lets a ledger connection name its vendor's address (settings.baseUrl, a local fake server) and a
   * channel an http store on this machine. Otherwise vendor addresses are ours and store URLs public https.
   */
  TEST_ENDPOINTS: z.enum(['true', 'false']).transform((v) => v === 'true').default(false),
  /** Stripe's API address; only changed for tests against a local server. */
  STRIPE_API_BASE: z.url().optional(),
  /** Nexi Reporting API, Vipps MobilePay and Clearhaus Merchant API hosts; the vendors' own when absent (tests use local fakes). */
  NEXI_API_BASE: z.url().optional(),
  VIPPS_API_BASE: z.url().optional(),
  CLEARHAUS_API_BASE: z.url().optional(),
  /** How often payouts are fetched from acquirers with an API. */
  FETCH_PAYOUTS_EVERY_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /** Requests per minute per shop (or the admin) once authenticated, and channel webhooks per shop. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /** Requests per minute from one client address before its key is checked; twice RATE_LIMIT_PER_MINUTE when unset. */
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  /**
   * The proxies in front of the API whose X-Forwarded-For names the client (rate limits count per client address):
   * unset trusts none (the connecting address is the client); "true" trusts every hop (only behind a proxy that
   * overwrites the header); else comma-separated addresses or CIDR ranges of the proxies, e.g. 10.0.0.0/8.
   */
  TRUST_PROXY: z
    .string()
    .transform((s): boolean | string[] => (s === 'true' ? true : s === 'false' ? false : s.split(',').map((a) => a.trim()).filter(Boolean)))
    .refine((v) => typeof v === 'boolean' || (v.length > 0 && v.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))), 'expected true, false, or comma-separated proxy addresses / CIDR ranges, e.g. 10.0.0.0/8')
    .optional(),
  /** ledger: one posting lock per ledger. global: one lock for all ledgers — only the benchmark's baseline. */
  LEDGER_LOCK_SCOPE: z.enum(['ledger', 'global']).default('ledger'),
  /** How long a posting may hold a ledger's lock without renewing it. */
  LEDGER_LOCK_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /**
   * The most lines one payout voucher may have (a payout with more is booked in parts that each balance; README
   * "Large payouts"). 5,000 by default: the local ledger writes a voucher's lines in one statement, and a hosted ledger
   * API takes a voucher in one request.
   */
  PAYOUT_MAX_VOUCHER_LINES: z.coerce.number().int().min(10).max(10_000).default(5_000),
  /** How long a booking waits for its posting's outcome before it asks its ledger again (then doubling, up to 8×). */
  POSTING_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** Bookings one request may start or restart (a payout list, a bulk restart): more is 413, or restarted in parts. */
  WORK_PER_REQUEST: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Bookings of one shop working at once; a request that would start more is 429 with Retry-After. */
  RUNNING_WORK_PER_SHOP: z.coerce.number().int().min(1).max(100_000).default(200),
  /**
   * Workflow tasks one worker runs at once. Small on purpose: tasks beyond it wait in Temporal's queue, where shops take
   * turns (src/temporal/fairness.ts); inside the worker they would wait first come first served (and time out).
   */
  WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Activities one worker runs at once (mostly waiting on the database or a ledger); beyond it they wait in Temporal's queue. */
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).default(40),
  /**
   * How often the intake relay (in every worker) looks for stored deliveries to hand to Temporal when no notification
   * woke it (LISTEN/NOTIFY wakes it at once; this is the fallback, and when a retry after a failure is due).
   */
  INTAKE_RELAY_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /**
   * Workflows each of the worker's two task queues keeps in memory between their tasks (the rest are replayed from
   * their history when their next task comes). The SDK's default is sized by the heap (2,310 here); bench/open-orders.ts
   * and bench/month-burst.ts measured the memory and replay cost (README "Benchmark"). 0 turns the cache off.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).optional(),
  /** Workflow tasks of ledger workflows one worker runs at once, on the ledgers' own queue (no order task takes these). */
  WORKER_LEDGER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(1).max(1000).default(5),
  /** Posting batches one worker runs at once (one per ledger posting now), on the ledgers' own queue. */
  WORKER_LEDGER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** Workflow tasks of payouts and settlement files one worker runs at once, on bulk work's own queue. */
  WORKER_BULK_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(1).max(1000).default(2),
  /** Activities of payouts and settlement files (matching, planning, reading a file) one worker runs at once, on bulk work's own queue. */
  WORKER_BULK_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).default(4),
  /** How long an order waits for a status the shop books before its booking ends as expired (order_never_ready). */
  ORDER_READY_WAIT_HOURS: z.coerce.number().positive().max(24 * 366).default(30 * 24),
  /** How long a refund waits for its order to be booked before it ends as expired (refund_order_wait_expired). */
  REFUND_ORDER_WAIT_HOURS: z.coerce.number().positive().max(24 * 366).default(30 * 24),
});

export type Config = z.infer<typeof envSchema>;

/** The Temporal Web UI operators open: TEMPORAL_UI_URL, else the dev server's UI on this machine. */
export const temporalUiUrl = (c: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_UI_PORT'>) => c.TEMPORAL_UI_URL ?? `http://localhost:${c.TEMPORAL_UI_PORT}`;

/** Where reset links point: PUBLIC_URL, else this machine's API port. */
export const publicUrl = (config: Pick<Config, 'PUBLIC_URL' | 'PORT'>) => config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;

// Old keys without a current one would decrypt nothing new and encrypt nothing: surely a mistake.
const checked = envSchema
  .refine((c) => !c.PAYLOAD_KEYS?.length || c.PAYLOAD_KEY, {
    message: 'set PAYLOAD_KEY too: PAYLOAD_KEYS only holds earlier keys for decrypting',
    path: ['PAYLOAD_KEYS'],
  })
  .refine((c) => !(c.TEST_ENDPOINTS && c.NODE_ENV === 'production'), { message: 'test endpoints are never allowed with NODE_ENV=production', path: ['TEST_ENDPOINTS'] });

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the settings from the environment; a bad or missing one throws naming the variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, require: (keyof Config)[] = []): Config {
  const parsed = checked.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}${env[String(i.path[0])] === undefined ? ' (not set)' : ''}`);
  for (const key of require) {
    if (parsed.success && parsed.data[key] === undefined) problems.push(`  ${key}: required for this process (not set)`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return parsed.data as Config;
}
