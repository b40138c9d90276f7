import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, publicOnlyFetch, storeUrlProblem, type ResolveAll } from '../../../src/adapters/channels/public-address';

const resolvesTo = (addresses: string[]) => async () => addresses;

describe('store URLs', () => {
  it('tells public addresses from internal ones', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ['8.8.8.8', '23.227.38.65', '2606:4700::6810:84e5']) expect(isPublicAddress(ip), ip).toBe(true);
  });

  it('takes an https host name resolving to public addresses only', async () => {
    expect(await storeUrlProblem('https://kaffekopper.myshopify.com', resolvesTo(['23.227.38.65']))).toBeNull();
    expect(await storeUrlProblem('http://kaffekopper.myshopify.com', resolvesTo(['23.227.38.65']))).toMatch(/https/);
    expect(await storeUrlProblem('https://internal.example', resolvesTo(['23.227.38.65', '10.0.0.5']))).toMatch(/not public/);
    expect(await storeUrlProblem('https://metadata.example', resolvesTo(['169.254.169.254']))).toMatch(/not public/);
    for (const literal of ['https://127.0.0.1', 'https://2130706433', 'https://0x7f.1', 'https://[::1]', 'https://8.8.8.8']) {
      expect(await storeUrlProblem(literal, resolvesTo(['8.8.8.8'])), literal).toMatch(/host name/);
    }
    expect(await storeUrlProblem('https://shop.example/?', resolvesTo(['8.8.8.8']))).toMatch(/query or fragment/);
    expect(await storeUrlProblem('https://shop.example#', resolvesTo(['8.8.8.8']))).toMatch(/query or fragment/);
  });
});

describe('store requests at connect time', () => {
  // A store that answers on this machine: what a rebinding DNS name points our request at after it passed the check.
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('{"orders":[]}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const resolvesAt = (address: string, family = 4): ResolveAll => (_host, cb) => cb(null, [{ address, family }]);

  it('refuses to connect to a name that resolves to a loopback address, where plain fetch connects', async () => {
    const url = `http://rebound.example:${port}/admin/api/orders.json`;
    const refused = await publicOnlyFetch(resolvesAt('127.0.0.1'))(url).then(
      () => null,
      (e: Error & { cause?: NodeJS.ErrnoException }) => e.cause,
    );
    expect(refused?.code).toBe('ENOTPUBLIC');
    expect(refused?.message).toContain('rebound.example resolves to an address that is not public');
    // The same request with the name resolved the same way by an unchecked lookup reaches the server.
    expect(await (await fetch(`http://127.0.0.1:${port}/admin/api/orders.json`)).text()).toBe('{"orders":[]}');
  });

  it('refuses a name with one internal address among public ones, and IPv4 mapped into IPv6', async () => {
    const mixed: ResolveAll = (_host, cb) => cb(null, [{ address: '23.227.38.65', family: 4 }, { address: '10.0.0.5', family: 4 }]);
    for (const resolve of [mixed, resolvesAt('::ffff:127.0.0.1', 6), resolvesAt('169.254.169.254')]) {
      const cause = await publicOnlyFetch(resolve)(`http://store.example:${port}/`).then(
        () => null,
        (e: Error & { cause?: NodeJS.ErrnoException }) => e.cause,
      );
      expect(cause?.code).toBe('ENOTPUBLIC');
    }
  });
});
