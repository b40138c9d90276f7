import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

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
