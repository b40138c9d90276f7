import { lookup as dnsLookupCallback, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';

/**
 * Where a store URL may point: the public internet only. A tenant's store URL is fetched by our servers with the
 * tenant's keys, so an address inside our network (loopback, private ranges, link-local with the cloud metadata
 * service at 169.254.169.254, carrier-grade NAT, unique-local IPv6, IPv4 mapped into IPv6) would let a tenant make us
 * call our own services and show them the answer.
 */
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) internal.addSubnet(net, bits, 'ipv6');

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  // IPv4 mapped into IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return isPublicAddress(mapped);
  if (family === 6 && /^::ffff:/i.test(ip)) return false;
  return !internal.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export type Lookup = (host: string) => Promise<string[]>;
const dnsLookup: Lookup = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why a store URL is refused, or null: https, a host name (no IP literal, in any notation the URL parser accepts,
 * such as http://2130706433), no credentials, query or fragment (they would swallow our API path), and every address
 * the name resolves to public. Checked when the URL is saved and again before each request (DNS may change).
 */
export async function storeUrlProblem(value: string, resolve: Lookup = dnsLookup): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https address';
  if (url.username || url.password || url.search || url.hash || value.includes('?') || value.includes('#')) return 'must have no credentials, query or fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return 'must name the store by its host name, not an IP address';
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return `the host ${host} does not resolve`;
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) return `the host ${host} resolves to an address that is not public`;
  return null;
}

/** dns.lookup with every address at once: what publicOnlyLookup asks (tests inject a name that resolves inward). */
export type ResolveAll = (host: string, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;
const resolveAll: ResolveAll = (host, callback) => dnsLookupCallback(host, { all: true, verbatim: true }, callback);

/**
 * The lookup a store request connects with: the name is resolved once, here, and the connection goes to an address
 * this resolution answered only if every one of them is public. The check at save and before a request resolves the
 * name separately; a name whose DNS answer changes in between (rebinding) is caught here, where the socket connects.
 */
export function publicOnlyLookup(resolve: ResolveAll = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
      if (wanted.length === 0 || !addresses.every((a) => isPublicAddress(a.address))) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to an address that is not public; store requests go to the public internet only`);
        refused.code = 'ENOTPUBLIC';
        return callback(refused, '', 0);
      }
      // net asks for all addresses when it tries them in turn (autoSelectFamily), else for one.
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
      callback(null, wanted[0]!.address, wanted[0]!.family);
    });
  };
}

/** The dispatcher store requests go through (fetch's `dispatcher`): connections to public addresses only. */
export const publicOnlyDispatcher = (resolve?: ResolveAll): Dispatcher => new Agent({ connect: { lookup: publicOnlyLookup(resolve) } });

/** fetch through publicOnlyDispatcher. */
export function publicOnlyFetch(resolve?: ResolveAll): typeof fetch {
  const dispatcher = publicOnlyDispatcher(resolve);
  return (input, init) => fetch(input, { ...init, dispatcher } as RequestInit);
}

let shared: typeof fetch | undefined;
/**
 * The fetch of store APIs: public addresses only, one connection pool per process. Under TEST_ENDPOINTS (fake
 * stores on this machine) plain fetch.
 */
export function storeFetch(testEndpoints?: boolean): typeof fetch | undefined {
  if (testEndpoints) return undefined;
  return (shared ??= publicOnlyFetch());
}
