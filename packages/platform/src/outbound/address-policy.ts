import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type IpAddress, type IpRange, inRange, parseIp, parseRange } from './ip-address.ts';

/**
 * SSRF guard for outgoing requests made on behalf of tenants. A tenant must not be able to point a
 * webhook at our own network (databases, the cloud metadata service, other tenants' internals). Instead
 * of listing the few bad ranges we list what is not public unicast, and fail closed on anything unparsable.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface AddressPolicyOptions {
  /** IPs, CIDRs or hostnames that may be reached although private (instance config; dev and tests: 127.0.0.1). */
  allow: readonly string[];
  /** Defaults to node:dns `lookup({ all: true })`, i.e. what the OS would use to connect. */
  resolve?: Resolver;
}

export type Refusal = 'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'refused_address' | 'dns_failure';
export type Resolution = { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: Refusal; message: string };
export type UrlCheck =
  | { ok: true; url: URL; addresses: ResolvedAddress[] }
  | { ok: false; reason: Refusal; message: string };

export interface AddressPolicy {
  isRefused(ip: string): boolean;
  /** Resolves a hostname (or takes an IP literal) and vets every address; the connect-time hook uses this. */
  resolve(hostname: string): Promise<Resolution>;
  checkUrl(url: string | URL): Promise<UrlCheck>;
}

const ranges = (list: string[]): IpRange[] => list.map((cidr) => parseRange(cidr)!);

const REFUSED_V4 = ranges([
  '0.0.0.0/8', // "this network", unspecified
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata at 169.254.169.254
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // deprecated 6to4 relay anycast
  '192.168.0.0/16',
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, including broadcast 255.255.255.255
]);

// Only 2000::/3 is global unicast; everything outside it (loopback, ULA fc00::/7, link-local fe80::/10,
// multicast ff00::/8, discard 100::/64, ...) is refused unless it embeds an IPv4 address judged below.
const GLOBAL_V6 = parseRange('2000::/3')!;
const REFUSED_V6 = ranges([
  '2001::/23', // IETF protocol assignments, including Teredo 2001::/32 which tunnels to arbitrary IPv4
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation (RFC 9637)
  '5f00::/16', // SRv6 SIDs, not globally routed
]);
const MAPPED_V6 = parseRange('::ffff:0:0/96')!;
const COMPATIBLE_V6 = parseRange('::/96')!;
const NAT64_V6 = parseRange('64:ff9b::/96')!;
const SIX_TO_FOUR_V6 = parseRange('2002::/16')!;

export function createAddressPolicy({ allow, resolve = systemResolver }: AddressPolicyOptions): AddressPolicy {
  const allowedRanges: IpRange[] = [];
  const allowedHosts = new Set<string>();
  for (const entry of allow) {
    const range = parseRange(entry.trim());
    if (range) allowedRanges.push(singleAddress(range) ?? range);
    else if (/^[a-z0-9.-]+$/i.test(entry.trim())) allowedHosts.add(normaliseHost(entry));
    else throw new TypeError(`address policy: cannot read allow entry ${JSON.stringify(entry)}`);
  }

  function isRefused(ip: string): boolean {
    const parsed = parseIp(ip);
    if (!parsed) return true;
    const address = canonical(parsed);
    if (allowedRanges.some((range) => inRange(range, address))) return false;
    return isNonPublic(address);
  }

  async function resolveHost(hostname: string): Promise<Resolution> {
    const host = normaliseHost(hostname);
    let addresses: ResolvedAddress[];
    const family = isIP(host);
    if (family === 4 || family === 6) addresses = [{ address: host, family }];
    else {
      try {
        addresses = await resolve(host);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
        return { ok: false, reason: 'dns_failure', message: `cannot resolve ${host}: ${code}` };
      }
      if (addresses.length === 0) return { ok: false, reason: 'dns_failure', message: `${host} has no addresses` };
      if (allowedHosts.has(host)) return { ok: true, addresses };
    }
    // One bad address is enough: the OS may pick any of them, and an attacker controls the order.
    const refused = addresses.find(({ address }) => isRefused(address));
    if (refused) {
      const via = refused.address === host ? '' : ` (resolved from ${host})`;
      return { ok: false, reason: 'refused_address', message: `address ${refused.address}${via} is not public` };
    }
    return { ok: true, addresses };
  }

  async function checkUrl(input: string | URL): Promise<UrlCheck> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return { ok: false, reason: 'invalid_url', message: 'not a valid URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return {
        ok: false,
        reason: 'unsupported_scheme',
        message: `scheme ${url.protocol} is not allowed, use http or https`,
      };
    }
    if (url.username || url.password) {
      return {
        ok: false,
        reason: 'credentials_in_url',
        message: 'credentials in the URL are not allowed, use a header',
      };
    }
    const resolution = await resolveHost(url.hostname);
    return resolution.ok ? { ok: true, url, addresses: resolution.addresses } : resolution;
  }

  return { isRefused, resolve: resolveHost, checkUrl };
}

function isNonPublic(address: IpAddress): boolean {
  if (address.family === 4) return REFUSED_V4.some((range) => inRange(range, address));
  // Translation prefixes reach the IPv4 address they embed, so that address decides.
  if (inRange(NAT64_V6, address)) return isNonPublic(ipv4(address.value & 0xffffffffn));
  if (inRange(SIX_TO_FOUR_V6, address)) return isNonPublic(ipv4((address.value >> 80n) & 0xffffffffn));
  if (!inRange(GLOBAL_V6, address)) return true;
  return REFUSED_V6.some((range) => inRange(range, address));
}

/** IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses are the IPv4 host itself. */
function canonical(address: IpAddress): IpAddress {
  if (address.family === 6 && inRange(MAPPED_V6, address)) return ipv4(address.value & 0xffffffffn);
  // :: and ::1 are in ::/96 too but mean unspecified and loopback, not 0.0.0.0 and 0.0.0.1.
  if (address.family === 6 && inRange(COMPATIBLE_V6, address) && address.value > 1n) {
    return ipv4(address.value & 0xffffffffn);
  }
  return address;
}

function ipv4(value: bigint): IpAddress {
  return { family: 4, value };
}

/** An allow entry naming one address is stored in canonical form, so `::ffff:10.0.0.1` allows 10.0.0.1. */
function singleAddress(range: IpRange): IpRange | undefined {
  if (range.prefix !== (range.family === 4 ? 32 : 128)) return undefined;
  const address = canonical({ family: range.family, value: range.network });
  return { family: address.family, network: address.value, prefix: address.family === 4 ? 32 : 128 };
}

/** Lower case, no IPv6 brackets, no trailing dot: `LocalHost.` must not slip past a `localhost` entry. */
function normaliseHost(hostname: string): string {
  return hostname
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

const systemResolver: Resolver = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true, order: 'verbatim' });
  return results.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};
