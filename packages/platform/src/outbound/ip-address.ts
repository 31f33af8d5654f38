import { isIP } from 'node:net';

/**
 * IP addresses as integers, so that range checks are plain arithmetic. node:net's BlockList would match
 * ranges too, but the SSRF guard also has to pull IPv4 addresses out of IPv6 ones (mapped, NAT64, 6to4),
 * which needs the bits anyway.
 */

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface IpRange {
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Parses canonical IPv4 dotted quads and IPv6 text (a `%zone` suffix is ignored); undefined otherwise. */
export function parseIp(text: string): IpAddress | undefined {
  const address = text.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return { family: 4, value: parseIpv4(address) };
  if (family === 6) return { family: 6, value: parseIpv6(address) };
  return undefined;
}

/** `a.b.c.d/n`, `x::y/n`, or a single address (a range of one). Host bits in the network are cleared. */
export function parseRange(text: string): IpRange | undefined {
  const [addressText, prefixText, extra] = text.split('/');
  if (addressText === undefined || extra !== undefined) return undefined;
  const address = parseIp(addressText);
  if (!address) return undefined;
  const bits = BITS[address.family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { family: address.family, network: address.value & mask(address.family, prefix), prefix };
}

export function inRange(range: IpRange, address: IpAddress): boolean {
  return range.family === address.family && (address.value & mask(range.family, range.prefix)) === range.network;
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  const all = (1n << bits) - 1n;
  return (all >> (bits - BigInt(prefix))) << (bits - BigInt(prefix));
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  // isIP has validated the syntax; all that is left is expanding `::` and a trailing dotted quad.
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap(expandDottedQuad));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right].reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

function expandDottedQuad(group: string): number[] {
  if (!group.includes('.')) return [Number.parseInt(group, 16)];
  const value = parseIpv4(group);
  return [Number(value >> 16n), Number(value & 0xffffn)];
}
