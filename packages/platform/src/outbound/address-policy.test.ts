import { describe, expect, it } from 'vitest';
import { createAddressPolicy, type ResolvedAddress, type Resolver } from './address-policy.ts';

const strict = createAddressPolicy({ allow: [] });

describe('isRefused with an empty allowlist', () => {
  it.each([
    // loopback and unspecified
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '0.1.2.3',
    '::1',
    '::',
    // private, CGNAT, link-local and cloud metadata
    '10.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '169.254.0.1',
    '169.254.169.254',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fc00::1',
    'fd00:ec2::254',
    'fdff:ffff::1',
    'fec0::1',
    // multicast, broadcast, reserved, benchmarking, protocol assignments
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '198.19.255.255',
    '192.0.0.8',
    '192.88.99.1',
    'ff02::1',
    'ff05::1:3',
    '100::1',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '5f00::1',
    // documentation
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '2001:db8::1',
    '3fff::1',
    // IPv4 inside IPv6
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '::127.0.0.1',
    '::10.1.1.1',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::127.0.0.1',
    '64:ff9b:1::1',
    '2002:a00:1::1',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2002:c0a8:101::1',
    // anything else outside global unicast 2000::/3
    '4000::1',
    '::ffff:0:a00:1',
    // unreadable input fails closed
    'not-an-ip',
    '',
    '0177.0.0.1',
    '[::1]',
  ])('refuses %j', (ip) => {
    expect(strict.isRefused(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.1',
    '192.167.255.255',
    '192.169.0.1',
    '169.253.255.255',
    '198.17.255.255',
    '198.20.0.1',
    '223.255.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '::8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2001:200::1',
  ])('lets %j through', (ip) => {
    expect(strict.isRefused(ip)).toBe(false);
  });
});

describe('allowlist', () => {
  it('lets listed IPs and CIDRs through and nothing next to them', () => {
    const policy = createAddressPolicy({ allow: ['127.0.0.1', '10.20.0.0/16', 'fd12:3456::/32', '::1'] });
    expect(policy.isRefused('127.0.0.1')).toBe(false);
    expect(policy.isRefused('::ffff:127.0.0.1')).toBe(false);
    expect(policy.isRefused('127.0.0.2')).toBe(true);
    expect(policy.isRefused('10.20.99.1')).toBe(false);
    expect(policy.isRefused('10.21.0.1')).toBe(true);
    expect(policy.isRefused('fd12:3456:1::9')).toBe(false);
    expect(policy.isRefused('fd12:3457::9')).toBe(true);
    expect(policy.isRefused('::1')).toBe(false);
    expect(policy.isRefused('169.254.169.254')).toBe(true);
  });

  it('reads a mapped IPv6 entry as the IPv4 address it names', () => {
    expect(createAddressPolicy({ allow: ['::ffff:10.0.0.5'] }).isRefused('10.0.0.5')).toBe(false);
  });

  it('refuses unreadable entries at construction, so a typo in config fails at start', () => {
    expect(() => createAddressPolicy({ allow: ['10.0.0.0/33'] })).toThrow(/allow entry/);
    expect(() => createAddressPolicy({ allow: ['http://internal'] })).toThrow(/allow entry/);
  });
});

function fakeDns(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('checkUrl', () => {
  const resolve = fakeDns({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'split.example.com': ['93.184.216.34', '10.0.0.7'],
    'internal.corp': ['10.1.2.3'],
    'nothing.example.com': [],
  });
  const policy = createAddressPolicy({ allow: ['internal.corp'], resolve });

  it('accepts public http and https URLs on any port and returns the vetted addresses', async () => {
    const check = await policy.checkUrl('https://hooks.example.com:8443/path?q=1');
    expect(check).toMatchObject({
      ok: true,
      addresses: [{ address: '93.184.216.34' }, { address: '2606:2800:220:1::1' }],
    });
    expect((await policy.checkUrl('http://8.8.8.8:1/')).ok).toBe(true);
  });

  it('refuses a hostname when any one of its addresses is refused', async () => {
    expect(await policy.checkUrl('https://split.example.com/')).toMatchObject({
      ok: false,
      reason: 'refused_address',
      message: expect.stringContaining('10.0.0.7'),
    });
  });

  it('lets allowlisted hostnames resolve to private addresses, ignoring case and a trailing dot', async () => {
    expect((await policy.checkUrl('https://internal.corp/')).ok).toBe(true);
    expect((await policy.checkUrl('https://INTERNAL.corp./')).ok).toBe(true);
  });

  it.each([
    ['ftp://hooks.example.com/', 'unsupported_scheme'],
    ['file:///etc/passwd', 'unsupported_scheme'],
    ['javascript:alert(1)', 'unsupported_scheme'],
    ['https://user:pass@hooks.example.com/', 'credentials_in_url'],
    ['https://token@hooks.example.com/', 'credentials_in_url'],
    ['not a url', 'invalid_url'],
    ['https://nowhere.example.com/', 'dns_failure'],
    ['https://nothing.example.com/', 'dns_failure'],
    ['http://127.0.0.1/', 'refused_address'],
    ['http://[::1]:8080/', 'refused_address'],
    ['http://[::ffff:169.254.169.254]/', 'refused_address'],
    ['http://169.254.169.254/latest/meta-data/', 'refused_address'],
    // The URL parser turns these spellings into 127.0.0.1 before we see them.
    ['http://2130706433/', 'refused_address'],
    ['http://0x7f.1/', 'refused_address'],
    ['http://0177.0.0.1/', 'refused_address'],
  ])('refuses %s (%s)', async (url, reason) => {
    expect(await policy.checkUrl(url)).toMatchObject({ ok: false, reason });
  });

  it('never puts the URL path or query, which may be a credential, in the message', async () => {
    const check = await policy.checkUrl('http://10.0.0.1/services/T000/B000/s3cr3t?token=abc');
    expect(check.ok).toBe(false);
    expect(JSON.stringify(check)).not.toMatch(/s3cr3t|token/);
  });

  it('resolves real names with the system resolver by default', async () => {
    expect(await createAddressPolicy({ allow: [] }).checkUrl('http://localhost/')).toMatchObject({
      ok: false,
      reason: 'refused_address',
    });
    expect((await createAddressPolicy({ allow: ['localhost'] }).checkUrl('http://localhost/')).ok).toBe(true);
  });
});
