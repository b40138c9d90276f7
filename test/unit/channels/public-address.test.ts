import { describe, expect, it } from 'vitest';
import { isPublicAddress, storeUrlProblem } from '../../../src/adapters/channels/public-address';

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
