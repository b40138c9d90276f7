import { expect } from 'vitest';
import type { Harness } from './harness';

export interface Person {
  email: string;
  password: string;
  personId: string;
  merchantId: string;
}

/**
 * A merchant with one person of `role`, made the way an operator does it (docs/APP.md): the merchant, the person and
 * a reset link from the admin routes, then the person choosing a password through the link. `shopIds` are attached to
 * the merchant by the operator's shop route.
 */
export async function createPerson(h: Harness, opts: { merchant?: string; merchantId?: string; role?: 'owner' | 'bookkeeper' | 'viewer' | 'operator'; email?: string; password?: string } = {}): Promise<Person> {
  const admin = { authorization: `Bearer ${h.adminKey}` };
  let merchantId = opts.merchantId;
  if (!merchantId && opts.role !== 'operator') {
    const res = await h.app.inject({ method: 'POST', url: '/v1/admin/merchants', headers: admin, payload: { name: opts.merchant ?? 'Test Merchant ApS' } });
    expect(res.statusCode, res.body).toBe(201);
    merchantId = res.json().merchantId as string;
  }
  const email = opts.email ?? `person-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const password = opts.password ?? 'correct horse battery';
  const created = await h.app.inject({
    method: 'POST',
    url: merchantId ? `/v1/admin/merchants/${merchantId}/people` : '/v1/admin/operators',
    headers: admin,
    payload: { email, name: email.split('@')[0], role: opts.role ?? 'owner' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const { personId, resetLink } = created.json() as { personId: string; resetLink: string };
  const token = new URL(resetLink).searchParams.get('token');
  const set = await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token, password } });
  expect(set.statusCode, set.body).toBe(204);
  return { email, password, personId, merchantId: merchantId ?? '' };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** A signed-in browser: its cookie's token and CSRF token. */
export interface Signed {
  token: string;
  csrfToken: string;
  /** The headers a browser of this session sends (cookie, CSRF token, and the shop when given). */
  headers(shopId?: string): Record<string, string>;
  /** Calls the API as this browser: the cookie, the shop in X-Shop-Id, and the CSRF token unless `csrf` says otherwise. */
  call(method: Method, url: string, opts?: { shopId?: string; payload?: unknown; csrf?: string | null }): Promise<Awaited<ReturnType<Harness['app']['inject']>>>;
}

/** Signs the person in (POST /v1/session) as the app does. */
export async function signIn(h: Harness, person: Pick<Person, 'email' | 'password'>): Promise<Signed> {
  const res = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { email: person.email, password: person.password } });
  expect(res.statusCode, res.body).toBe(200);
  const token = res.cookies.find((c) => c.name === 'lb_session')!.value;
  const csrfToken = res.json().csrfToken as string;
  const headers = (shopId?: string, csrf: string | null = csrfToken): Record<string, string> => ({
    cookie: `lb_session=${token}`,
    ...(shopId ? { 'x-shop-id': shopId } : {}),
    ...(csrf === null ? {} : { 'x-csrf-token': csrf }),
  });
  return {
    token,
    csrfToken,
    headers: (shopId) => headers(shopId),
    call: (method, url, opts = {}) =>
      h.app.inject({ method, url, headers: headers(opts.shopId, opts.csrf === undefined ? csrfToken : opts.csrf), ...(opts.payload === undefined ? {} : { payload: opts.payload as object }) }),
  };
}
