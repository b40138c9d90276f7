/** The API over HTTP, as a shop's own tooling would call it: retried while the service is restarting its connections. */

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export async function call(url: string, key: string, method: 'GET' | 'POST' | 'PUT', body?: unknown, timeoutMs = 120_000): Promise<ApiAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const answer = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    })
      .then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }))
      .catch(() => ({ status: 0, body: null }));
    if ((answer.status !== 0 && answer.status < 500) || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, Math.min(2_000, 200 * 2 ** attempt)));
  }
}

export interface OrderRow {
  orderId: string;
  status: string;
  orderStatus: string;
  total: number;
  documents: { invoice: string | null; payment: string | null };
  error: { code: string; message: string } | null;
  updatedAt: string;
}

export interface RefundRow {
  refundId: string;
  orderId: string;
  status: string;
  amount: number;
  documents: { creditNote: string | null; refundPayment: string | null };
  error: { code: string; message: string; details?: unknown } | null;
  updatedAt: string;
}

/** Every order (or refund) of a shop, through the cursor. */
export async function listAll<T>(api: string, key: string, what: 'orders' | 'refunds'): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(`${api}/v1/${what}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, key, 'GET');
    if (res.status !== 200) throw new Error(`GET /v1/${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const page = res.body as Record<string, unknown> & { nextCursor: string | null };
    out.push(...(page[what] as T[]));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
