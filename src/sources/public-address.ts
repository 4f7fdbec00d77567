import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Guards URLs that users give in chat (ALLOW_PRIVATE_SOURCE_URLS=false): the bot must not become
 * a way to read loopback services, the LAN or a cloud metadata endpoint.
 */

/** `dns.promises.lookup` fits this shape; tests pass a table instead of real DNS. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

export class UnsafeUrlError extends Error {
  override readonly name = 'UnsafeUrlError';
}

/** NAT64's well-known prefix, 64:ff9b::/96: the last 32 bits are the IPv4 address reached. */
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');

/**
 * The IPv4 address an IPv6 address reaches the network as, when it embeds one: 6to4 (2002::/16)
 * and the NAT64 well-known prefix. (IPv4-mapped addresses `ipaddr.process` turns into IPv4.)
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  if (address.range() === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  if (address.match(NAT64)) return new ipaddr.IPv4(bytes.slice(12, 16));
  return undefined;
}

/**
 * True when an IP literal is a globally routable unicast address. ipaddr.js names every special
 * range (loopback, private, CGNAT, link-local and so the metadata service, multicast,
 * documentation, ...); anything it does not call plain 'unicast' is refused.
 */
export function isPublicAddress(literal: string): boolean {
  // Node's isIP takes only standard forms (ipaddr.js would also read 0x7f.1 or 2130706433);
  // a zone (fe80::1%eth0) only ever goes with link-local addresses.
  if (isIP(literal) === 0 || literal.includes('%')) return false;
  const address = ipaddr.process(literal);
  if (address.kind() === 'ipv6') {
    const v4 = embeddedIpv4(address as ipaddr.IPv6);
    if (v4) return v4.range() === 'unicast';
  }
  return address.range() === 'unicast';
}

/**
 * Resolves `url` and throws UnsafeUrlError unless it is http(s) and every address its host
 * resolves to is public. Returns the parsed URL.
 */
export async function assertPublicUrl(url: string | URL, lookup: LookupAll): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeUrlError(`not a valid URL: ${String(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsafeUrlError(`only http and https URLs are allowed, not ${parsed.protocol}`);
  }
  // WHATWG URL already turned decimal/hex IPv4 forms into dotted quads; IPv6 keeps its brackets.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    if (!isPublicAddress(host)) {
      throw new UnsafeUrlError(`${parsed.hostname} is not a public address`);
    }
    return parsed;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch (err) {
    throw new UnsafeUrlError(`cannot resolve ${host}: ${(err as Error).message}`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`${host} resolves to no address`);
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad) {
    throw new UnsafeUrlError(`${host} resolves to ${bad.address}, which is not a public address`);
  }
  return parsed;
}
