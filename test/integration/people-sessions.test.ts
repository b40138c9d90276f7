import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResets, people, sessions } from '../../db/schema';
import { enrolPerson } from '../../src/services/people';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { createPerson, signIn as signInAs, type Person, type Signed } from '../support/people';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

let h: Harness;
let a: Awaited<ReturnType<Harness['createShop']>>;
let ownerA: Person;
const signIn = (person: Pick<Person, 'email' | 'password'>) => signInAs(h, person);

beforeAll(async () => {
  h = await startHarness();
  ownerA = await createPerson(h, { merchant: 'Shop A ApS', role: 'owner' });
  a = await h.createShop({ name: 'Shop A', mapping: danishMapping, merchantId: ownerA.merchantId });
  const api = shopClient(h, a.apiKey);
  await api.sendOrder(cardOrder('A-1', 4_242));
  await api.orderReaches('A-1', 'booked');
});
afterAll(() => h?.close());

describe('signing in and out', () => {
  it('signs in with email and password, sets a strict session cookie, and tells who, which merchant and which shops', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { email: ownerA.email.toUpperCase(), password: ownerA.password } });
    expect(res.statusCode, res.body).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^lb_session=[\w-]{40,};/);
    for (const flag of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(setCookie).toContain(flag);
    const body = res.json();
    expect(body.person).toEqual({ id: ownerA.personId, email: ownerA.email, name: expect.any(String), role: 'owner' });
    expect(body.merchant).toEqual({ id: ownerA.merchantId, name: 'Shop A ApS' });
    expect(body.shops).toEqual([{ id: a.shopId, name: 'Shop A', ledgerId: a.ledgerId, mode: 'auto' }]);
    // Only a hash of the token is kept: the table signs nobody in.
    const token = res.cookies.find((c) => c.name === 'lb_session')!.value;
    const stored = await h.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.personId, ownerA.personId));
    expect(stored.map((s) => s.tokenHash)).not.toContain(token);
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const wrongPassword = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { email: ownerA.email, password: 'not the password' } });
    const unknownEmail = await h.app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'nobody@example.com', password: ownerA.password } });
    expect(wrongPassword.statusCode).toBe(401);
    expect(wrongPassword.json()).toEqual(unknownEmail.json());
    expect(wrongPassword.json().error.code).toBe('sign_in_failed');
    expect(wrongPassword.headers['set-cookie']).toBeUndefined();
  });

  it('signs out only with the CSRF header, ends the session on the server and clears the cookie', async () => {
    const one = await signIn(ownerA);
    const other = await signIn(ownerA);
    expect((await one.call('DELETE', '/v1/session', { csrf: null })).json().error.code).toBe('csrf_failed');
    const wrong = await one.call('DELETE', '/v1/session', { csrf: other.csrfToken });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('csrf_failed');
    expect((await one.call('GET', '/v1/session')).statusCode).toBe(200);

    const out = await one.call('DELETE', '/v1/session');
    expect(out.statusCode, out.body).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^lb_session=;/);
    expect((await one.call('GET', '/v1/session')).statusCode).toBe(401);
    expect((await one.call('GET', '/v1/orders', { shopId: a.shopId })).statusCode).toBe(401);
    expect((await other.call('GET', '/v1/session')).statusCode).toBe(200);
  });

  it('ends a session at its end and after it was left idle', async () => {
    const ended = await signIn(ownerA);
    const idle = await signIn(ownerA);
    const hashOf = async (s: Signed) => (await h.db.select({ tokenHash: sessions.tokenHash, csrf: sessions.csrfToken }).from(sessions)).find((r) => r.csrf === s.csrfToken)!.tokenHash;
    await h.db.update(sessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(sessions.tokenHash, await hashOf(ended)));
    await h.db.update(sessions).set({ lastSeenAt: sql`now() - interval '9 hours'` }).where(eq(sessions.tokenHash, await hashOf(idle)));
    for (const s of [ended, idle]) {
      const res = await s.call('GET', '/v1/session');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
    // Ended sessions do not pile up: the next sign-in (anyone's) deletes them.
    const endedHashes = [await hashOf(ended), await hashOf(idle)];
    await signIn(ownerA);
    const left = await h.db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(inArray(sessions.tokenHash, endedHashes));
    expect(left).toEqual([]);
  });

  it('limits sign-in attempts per email and per address', async () => {
    const attempt = (email: string, address: string) =>
      h.app.inject({ method: 'POST', url: '/v1/session', remoteAddress: address, payload: { email, password: 'guessing-password' } });
    for (let i = 0; i < 10; i++) expect((await attempt('target@example.com', `10.0.1.${i}`)).statusCode).toBe(401);
    const eleventh = await attempt('target@example.com', '10.0.1.99');
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json().error.code).toBe('rate_limited');

    for (let i = 0; i < 30; i++) expect((await attempt(`guess-${i}@example.com`, '10.0.2.1')).statusCode).toBe(401);
    expect((await attempt('guess-last@example.com', '10.0.2.1')).statusCode).toBe(429);
  });

  it('keeps reset requests and sign-ins in buckets of their own', async () => {
    const person = await createPerson(h, { merchantId: ownerA.merchantId, role: 'viewer' });
    // Someone asks for this person's link over and over, from many addresses: the person can still sign in.
    for (let i = 0; i < 10; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/session/reset-request', remoteAddress: `10.0.3.${i}`, payload: { email: person.email } });
      expect(res.statusCode).toBe(202);
    }
    const more = await h.app.inject({ method: 'POST', url: '/v1/session/reset-request', remoteAddress: '10.0.3.99', payload: { email: person.email } });
    expect(more.statusCode).toBe(429);
    const signedIn = await h.app.inject({ method: 'POST', url: '/v1/session', remoteAddress: '10.0.3.100', payload: { email: person.email, password: person.password } });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });
});

describe('reset links', () => {
  it('sets a password once; a used or expired link is refused; setting it ends the sessions', async () => {
    const admin = { authorization: `Bearer ${h.adminKey}` };
    const person = await createPerson(h, { merchantId: ownerA.merchantId, role: 'viewer' });
    const before = await signIn(person);
    const link = (await h.app.inject({ method: 'POST', url: `/v1/admin/people/${person.personId}/reset-link`, headers: admin })).json().resetLink as string;
    expect(link).toMatch(/^http:\/\/localhost:3000\/app\/reset\?token=/);
    const token = new URL(link).searchParams.get('token')!;

    const short = await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token, password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.issues[0].path).toBe('body.password');

    const set = await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token, password: 'a new password here' } });
    expect(set.statusCode, set.body).toBe(204);
    const again = await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token, password: 'another new password' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('reset_link_invalid');
    expect((await before.call('GET', '/v1/session')).statusCode).toBe(401);
    await signIn({ email: person.email, password: 'a new password here' });

    const expiring = new URL((await h.app.inject({ method: 'POST', url: `/v1/admin/people/${person.personId}/reset-link`, headers: admin })).json().resetLink).searchParams.get('token')!;
    await h.db.update(passwordResets).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(passwordResets.personId, person.personId));
    const expired = await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token: expiring, password: 'a third password' } });
    expect(expired.json().error.code).toBe('reset_link_invalid');

    // Used and expired links are deleted when the next link is issued; only the new one stays.
    await h.app.inject({ method: 'POST', url: `/v1/admin/people/${person.personId}/reset-link`, headers: admin });
    const kept = await h.db.select({ usedAt: passwordResets.usedAt }).from(passwordResets).where(eq(passwordResets.personId, person.personId));
    expect(kept).toEqual([{ usedAt: null }]);
  });

  it('answers a reset request 202 whether or not the email is known', async () => {
    for (const email of [ownerA.email, 'unknown@example.com']) {
      const res = await h.app.inject({ method: 'POST', url: '/v1/session/reset-request', payload: { email } });
      expect(res.statusCode).toBe(202);
    }
  });

  it('person:create makes the merchant once, attaches a shop and hands out a working link', async () => {
    const shop = await h.createShop({ name: 'Attached later' });
    const first = await enrolPerson(h.db, 'https://books.example.com', { email: 'First@Example.com', name: 'First', merchant: 'Enrolled ApS', role: 'owner', shopId: shop.shopId });
    expect(first).toMatchObject({ ok: true, merchantCreated: true });
    if (!first.ok) return;
    expect(first.resetLink).toMatch(/^https:\/\/books\.example\.com\/app\/reset\?token=/);
    const second = await enrolPerson(h.db, 'https://books.example.com', { email: 'second@example.com', name: 'Second', merchant: 'Enrolled ApS', role: 'bookkeeper' });
    expect(second).toMatchObject({ ok: true, merchantCreated: false, merchantId: first.merchantId });
    expect(await enrolPerson(h.db, 'https://x', { email: 'first@example.com', name: 'Again', merchant: 'Enrolled ApS', role: 'owner' })).toMatchObject({ ok: false });
    expect(await enrolPerson(h.db, 'https://x', { email: 'op@example.com', name: 'Op', merchant: 'Enrolled ApS', role: 'operator' })).toMatchObject({ ok: false });

    const token = new URL(first.resetLink).searchParams.get('token');
    expect((await h.app.inject({ method: 'POST', url: '/v1/session/password', payload: { token, password: 'first password!' } })).statusCode).toBe(204);
    const session = await signIn({ email: 'first@example.com', password: 'first password!' });
    expect((await session.call('GET', '/v1/shops')).json().shops.map((s: { id: string }) => s.id)).toEqual([shop.shopId]);
  });
});

describe('roles', () => {
  let viewer: Signed;
  let bookkeeper: Signed;
  let owner: Signed;
  beforeAll(async () => {
    viewer = await signIn(await createPerson(h, { merchantId: ownerA.merchantId, role: 'viewer' }));
    bookkeeper = await signIn(await createPerson(h, { merchantId: ownerA.merchantId, role: 'bookkeeper' }));
    owner = await signIn(ownerA);
  });

  it('lets a viewer read, a bookkeeper restart, and only an owner connect the ledger', async () => {
    const restart = (s: Signed) => s.call('POST', '/v1/orders/restart', { shopId: a.shopId, payload: {} });
    const connect = (s: Signed) => s.call('PUT', '/v1/ledger/connection', { shopId: a.shopId, payload: { system: 'local' } });
    expect((await viewer.call('GET', '/v1/orders/A-1', { shopId: a.shopId })).json().status).toBe('booked');

    const refused = await restart(viewer);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('bookkeeper') });
    expect((await restart(bookkeeper)).statusCode).toBe(200);
    expect((await restart(owner)).statusCode).toBe(200);

    const notBookkeeper = await connect(bookkeeper);
    expect(notBookkeeper.statusCode).toBe(403);
    expect(notBookkeeper.json().error.message).toContain('owner');
    expect((await connect(owner)).statusCode, (await connect(owner)).body).toBe(200);
  });

  it('needs the CSRF token on a shop route called with a session, and X-Shop-Id', async () => {
    const noCsrf = await owner.call('POST', '/v1/orders/restart', { shopId: a.shopId, payload: {}, csrf: null });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');
    expect((await owner.call('POST', '/v1/orders/restart', { shopId: a.shopId, payload: {}, csrf: viewer.csrfToken })).json().error.code).toBe('csrf_failed');
    const noShop = await owner.call('GET', '/v1/orders');
    expect(noShop.statusCode).toBe(400);
    expect(noShop.json().error.code).toBe('shop_required');
  });

  it('lets only owners manage people, within their merchant', async () => {
    expect((await bookkeeper.call('GET', '/v1/people')).statusCode).toBe(403);
    const added = await owner.call('POST', '/v1/people', { payload: { email: 'new.viewer@example.com', name: 'New', role: 'viewer' } });
    expect(added.statusCode, added.body).toBe(201);
    expect((await owner.call('POST', '/v1/people', { payload: { email: 'NEW.viewer@example.com', name: 'Twice', role: 'viewer' } })).statusCode).toBe(409);
    const listed = (await owner.call('GET', '/v1/people')).json().people.map((p: { email: string }) => p.email);
    expect(listed).toEqual(expect.arrayContaining([ownerA.email, 'new.viewer@example.com']));
    expect((await owner.call('DELETE', `/v1/people/${added.json().personId}`)).statusCode).toBe(204);
    expect((await owner.call('DELETE', `/v1/people/${ownerA.personId}`)).statusCode).toBe(409);
  });

  it('never leaves a merchant without an owner, even when two owners remove each other at once', async () => {
    const first = await createPerson(h, { merchant: 'Two Owners ApS', role: 'owner' });
    const second = await createPerson(h, { merchantId: first.merchantId, role: 'owner' });
    const [one, two] = [await signIn(first), await signIn(second)];
    const answers = await Promise.all([one.call('DELETE', `/v1/people/${second.personId}`), two.call('DELETE', `/v1/people/${first.personId}`)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([204, 409]);
    expect(answers.find((a) => a.statusCode === 409)!.json().error.code).toBe('last_owner');
    const owners = await h.db.select({ id: people.id }).from(people).where(and(eq(people.merchantId, first.merchantId), eq(people.role, 'owner')));
    expect(owners).toHaveLength(1);
  });

  it('answers a route called with a session as it does with the key', async () => {
    const key = { authorization: `Bearer ${a.apiKey}` };
    for (const url of ['/v1/orders', '/v1/orders/A-1', '/v1/mapping', '/v1/ledger/vouchers', '/v1/payouts', '/v1/orders/none']) {
      const byKey = await h.app.inject({ method: 'GET', url, headers: key });
      const bySession = await viewer.call('GET', url, { shopId: a.shopId });
      expect(bySession.statusCode, url).toBe(byKey.statusCode);
      expect(bySession.json(), url).toEqual(byKey.json());
    }
  });
});

describe('merchants see only their own', () => {
  /** Routes that are not a shop's: the admin's, the session's, the merchant's people and shops, signed deliveries. */
  const notShopRoutes = [/^\S+ \/v1\/admin\//, /^\S+ \/v1\/session/, /^\S+ \/v1\/people/, /^\S+ \/v1\/shops$/, /^POST \/v1\/channels\/\{platform\}\/\{shopId\}$/];

  it("gives a person of merchant B 404 on every shop route for merchant A's shop, as for a shop that does not exist", async () => {
    const ownerB = await createPerson(h, { merchant: 'Shop B ApS', role: 'owner' });
    const b = await h.createShop({ name: 'Shop B', merchantId: ownerB.merchantId });
    const sessionB = await signIn(ownerB);
    expect((await sessionB.call('GET', '/v1/shops')).json().shops).toEqual([{ id: b.shopId, name: 'Shop B', ledgerId: b.ledgerId, mode: 'auto' }]);
    expect((await sessionB.call('GET', '/v1/session')).json().shops.map((s: { id: string }) => s.id)).toEqual([b.shopId]);

    const shopRoutes = h.app.routeList.filter((r) => r.includes(' /v1/') && !notShopRoutes.some((re) => re.test(r)));
    expect(shopRoutes.length).toBeGreaterThan(30);
    for (const route of shopRoutes) {
      const [method, path] = route.split(' ') as [Method, string];
      const url = path.replace(/\{\w+\}/g, 'A-1');
      for (const shopId of [a.shopId, 'shop_doesnotexist']) {
        const res = await sessionB.call(method, url, { shopId, payload: method === 'GET' ? undefined : {} });
        expect(res.statusCode, `${route} ${shopId}`).toBe(404);
        expect(res.json(), `${route} ${shopId}`).toEqual({ error: { code: 'not_found', message: `shop ${shopId} not found` } });
      }
    }
    // The same person reaches its own shop, so the 404s above were the merchant check.
    expect((await sessionB.call('GET', '/v1/orders', { shopId: b.shopId })).statusCode).toBe(200);
  });

  it('lets an operator read any shop and use the admin routes (with CSRF), but change no shop', async () => {
    const operator = await signIn(await createPerson(h, { role: 'operator' }));
    expect((await operator.call('GET', '/v1/orders/A-1', { shopId: a.shopId })).json().status).toBe('booked');
    const write = await operator.call('POST', '/v1/orders/restart', { shopId: a.shopId, payload: {} });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
    expect((await operator.call('GET', '/v1/shops')).json().shops.map((s: { id: string }) => s.id)).toContain(a.shopId);
    expect((await operator.call('GET', '/v1/admin/merchants')).json().merchants.map((m: { name: string }) => m.name)).toContain('Shop A ApS');
    expect((await operator.call('POST', '/v1/admin/merchants', { payload: { name: 'By operator' }, csrf: null })).json().error.code).toBe('csrf_failed');
    expect((await operator.call('POST', '/v1/admin/merchants', { payload: { name: 'By operator' } })).statusCode).toBe(201);
    // A merchant's owner is no operator.
    const owner = await signIn(ownerA);
    expect((await owner.call('GET', '/v1/admin/shops')).statusCode).toBe(403);
  });
});
