import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local HTTP server for a fake acquirer API: records requests, can fail the next ones, closes cleanly. */

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface Fault {
  status: 401 | 403 | 429 | 500 | 503;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** The next request(s) fail this way, before anything else is looked at. */
  failNext(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

export async function startFake(handle: (req: RecordedRequest, send: Send) => void): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://fake.local');
    const recorded = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers };
    requests.push(recorded);
    const send: Send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      const fault = faults.shift();
      if (fault) return send(fault.status, fault.body ?? { message: `HTTP ${fault.status}` }, fault.headers);
      handle(recorded, send);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Query parameters the document does not list are refused, as a strict API would: we must never rely on them. */
export function undocumented(query: URLSearchParams, documented: readonly string[]): string | undefined {
  return [...query.keys()].find((k) => !documented.includes(k));
}

export const isDate = (s: string | null): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
