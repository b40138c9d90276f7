import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestValidator } from '../vendor-schemas';

/**
 * The common part of the fake accounting APIs: a node:http server that parses JSON requests, counts them, injects
 * faults and (for Fiken) refuses overlapping requests. Each vendor fake supplies its routes and error shape.
 */

export type Fault =
  /** Answer with this status and the vendor's error body (429 with Retry-After). */
  | { status: number; message?: string; retryAfter?: string }
  /** Answer only after `ms` (the client times out; the write still happens, as it would at the vendor). */
  | { slowMs: number }
  /** Do the work and store it, then destroy the socket: the write committed, the answer is lost. */
  | { loseResponse: true }
  /**
   * Keep the request waiting until `until` settles, then do the work and answer (if the client is still there):
   * lets a test act (e.g. kill the caller) while a write is in flight at the vendor.
   */
  | { holdUntil: Promise<unknown>; onHeld?: (req: FakeRequest) => void };

/** The kind of a fault, as counted in `FakeHttp.faultsInjected`. */
export function faultKind(fault: Fault): string {
  if ('status' in fault) return fault.status === 429 ? '429' : fault.status >= 500 ? '5xx' : String(fault.status);
  if ('slowMs' in fault) return 'slow';
  if ('loseResponse' in fault) return 'lost_response';
  return 'held';
}

export interface FaultMatch {
  method?: string | RegExp;
  path?: RegExp;
  /** How many matching requests get the fault; default 1. */
  times?: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeHttp {
  url: string;
  requests: FakeRequest[];
  /** The most requests that were in flight at once. */
  maxConcurrent: number;
  /** Requests refused because another one was in flight (rejectConcurrent). */
  concurrencyViolations: number;
  /** Start times of requests (ms), for rate checks. */
  startedAt: number[];
  /** Start and end (ms) of every answered request: the time a client spent in calls to this API. */
  calls: { start: number; end: number; call: string }[];
  /** Faults answered so far, by kind (see faultKind), whether injected one by one or drawn from `faults`. */
  faultsInjected: Record<string, number>;
  /** Requests refused because the vendor's published document does not allow them (see `validate`). */
  refused: { call: string; problems: string[] }[];
  inject(fault: Fault, match?: FaultMatch): void;
  /**
   * Holds the next matching request at the vendor: `arrived` resolves when it is there (before any work is done),
   * `release()` lets it commit and answer.
   */
  hold(match?: FaultMatch): { arrived: Promise<FakeRequest>; release(): void };
  close(): Promise<void>;
}

export interface FakeHttpOptions {
  handle: (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;
  /** The vendor's error document for a status and message. */
  errorBody: (status: number, message: string) => unknown;
  /** False: answer 401 with the vendor's error body. */
  authorize: (req: FakeRequest) => boolean;
  /** Answer 429 to a request that arrives while another is in flight (Fiken's documented rule). */
  rejectConcurrent?: boolean;
  /** Time each request takes (a real API is not instant, which is what makes overlapping requests possible). */
  latencyMs?: number;
  /** A fault for a request no injected rule matched (e.g. a seeded random mix); undefined answers normally. */
  faults?: (req: FakeRequest) => Fault | undefined;
  /**
   * The vendor's published document as a validator (test/support/vendor-schemas.ts): a request it finds problems
   * with is refused with 400 before the fake looks at it, as the real API would, and noted in `refused`.
   */
  validate?: RequestValidator;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeHttp(opts: FakeHttpOptions): Promise<FakeHttp> {
  const rules: { fault: Fault; match: FaultMatch; left: number }[] = [];
  let inFlight = 0;
  const state: FakeHttp = {
    url: '',
    requests: [],
    maxConcurrent: 0,
    concurrencyViolations: 0,
    startedAt: [],
    calls: [],
    faultsInjected: {},
    refused: [],
    inject(fault, match = {}) {
      rules.push({ fault, match, left: match.times ?? 1 });
    },
    hold(match = {}) {
      let release!: () => void;
      const until = new Promise<void>((r) => (release = r));
      let arrive!: (req: FakeRequest) => void;
      const arrived = new Promise<FakeRequest>((r) => (arrive = r));
      rules.push({ fault: { holdUntil: until, onHeld: arrive }, match, left: 1 });
      return { arrived, release };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };

  const send = (res: ServerResponse, r: FakeResponse) => {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers };
    res.writeHead(r.status, headers);
    res.end(r.body === undefined ? undefined : JSON.stringify(r.body));
  };

  const server = createServer(async (req, res) => {
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    const start = Date.now();
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
        // Ids folded away: "POST /invoices/booked", "GET /invoices/booked/:n", for profiles of where time goes.
        state.calls.push({ start, end: Date.now(), call: `${req.method} ${(req.url ?? '/').split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/:n')}` });
      }
    };
    // 'close' also fires when the client gave up (timeout), so an abandoned slow request no longer counts as in flight.
    res.on('close', finish);
    try {
      const u = new URL(req.url ?? '/', 'http://localhost');
      const fr: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers, body: await readBody(req) };
      state.requests.push(fr);
      state.startedAt.push(Date.now());
      if (opts.rejectConcurrent && inFlight > 1) {
        state.concurrencyViolations++;
        return send(res, { status: 429, body: opts.errorBody(429, 'Only one concurrent request is allowed'), headers: { 'retry-after': '1' } });
      }
      const methodOk = (m: FaultMatch['method']) => !m || (typeof m === 'string' ? m === fr.method : m.test(fr.method));
      const rule = rules.find((r) => r.left > 0 && methodOk(r.match.method) && (!r.match.path || r.match.path.test(fr.path)));
      if (rule) rule.left--;
      const fault = rule?.fault ?? opts.faults?.(fr);
      if (fault) {
        const kind = faultKind(fault);
        state.faultsInjected[kind] = (state.faultsInjected[kind] ?? 0) + 1;
      }
      if (fault && 'status' in fault) {
        return send(res, {
          status: fault.status,
          body: opts.errorBody(fault.status, fault.message ?? `Injected ${fault.status}`),
          headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        });
      }
      if (!opts.authorize(fr)) return send(res, { status: 401, body: opts.errorBody(401, 'Invalid or missing access token') });
      const problems = opts.validate?.(fr) ?? [];
      if (problems.length) {
        state.refused.push({ call: `${fr.method} ${fr.path}`, problems });
        return send(res, { status: 400, body: opts.errorBody(400, problems.join('; ')) });
      }
      if (fault && 'slowMs' in fault) await sleep(fault.slowMs);
      else if (opts.latencyMs) await sleep(opts.latencyMs);
      if (fault && 'holdUntil' in fault) {
        fault.onHeld?.(fr);
        await fault.holdUntil;
      }
      const out = await opts.handle(fr);
      if (fault && 'loseResponse' in fault) {
        req.socket.destroy();
        return;
      }
      send(res, out);
    } catch (e) {
      send(res, { status: 500, body: opts.errorBody(500, `fake server error: ${(e as Error).message}`) });
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = state.close;
  state.close = () => {
    server.closeAllConnections();
    return close();
  };
  return state;
}

/** Routing helper: `match('/invoices/:id', path)` → `{ id }` or null. */
export function route(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const re = new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, (m) => (names.push(m.slice(1)), '([^/]+)'))}/?$`);
  const m = re.exec(path);
  if (!m) return null;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
}
