import { describe, expect, it } from 'vitest';
import { inRange, parseIp, parseRange } from './ip-address.ts';

describe('parseIp', () => {
  it.each([
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['10.1.2.3', 4, 0x0a010203n],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::ff00:42:8329', 6, 0x20010db8000000000000ff0000428329n],
    ['2001:DB8:0:0:0:ff00:42:8329', 6, 0x20010db8000000000000ff0000428329n],
    ['::ffff:192.168.1.1', 6, 0xffffc0a80101n],
    ['64:ff9b::10.0.0.1', 6, 0x0064ff9b00000000000000000a000001n],
    ['fe80::1%eth0', 6, 0xfe800000000000000000000000000001n],
    ['1::', 6, 1n << 112n],
  ])('reads %s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['', 'localhost', '1.2.3', '01.2.3.4', '0x7f.0.0.1', '256.0.0.1', '1:2:3:4:5:6:7:8:9', '[::1]', ':::'])(
    'does not read %j',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );
});

describe('ranges', () => {
  it('matches by prefix and clears host bits in the network', () => {
    const range = parseRange('172.16.5.4/12')!;
    expect(range).toEqual({ family: 4, network: parseIp('172.16.0.0')!.value, prefix: 12 });
    expect(inRange(range, parseIp('172.31.255.255')!)).toBe(true);
    expect(inRange(range, parseIp('172.32.0.0')!)).toBe(false);
    expect(inRange(parseRange('0.0.0.0/0')!, parseIp('8.8.8.8')!)).toBe(true);
    expect(inRange(parseRange('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
    expect(inRange(parseRange('fc00::/7')!, parseIp('fd00:ec2::254')!)).toBe(true);
    expect(inRange(parseRange('fc00::/7')!, parseIp('fe00::')!)).toBe(false);
  });

  it('treats a bare address as a range of one and rejects nonsense', () => {
    expect(parseRange('10.0.0.1')).toEqual({ family: 4, network: 0x0a000001n, prefix: 32 });
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', 'example.com/8', '10.0.0.0/-1']) {
      expect(parseRange(bad), bad).toBeUndefined();
    }
  });
});
