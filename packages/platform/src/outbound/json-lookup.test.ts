import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressPolicy } from './address-policy.ts';
import { createJsonLookup } from './json-lookup.ts';

// The look-up's HTTP client against a local server (127.0.0.1 allowed, as in the tests of webhooks).
const seen: { url: string; headers: Record<string, unknown> }[] = [];
const server = createServer((req, res) => {
  seen.push({ url: req.url ?? '', headers: req.headers });
  const json = (status: number, body: string) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  if (req.url === '/ok') json(200, '{"plan":"pro"}');
  else if (req.url === '/big') json(200, JSON.stringify({ blob: 'x'.repeat(5000) }));
  else if (req.url === '/text') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
  else if (req.url === '/moved') res.writeHead(302, { location: '/ok' }).end();
  else if (req.url === '/slow') setTimeout(() => json(200, '{}'), 1000);
  else json(500, '{"error":"boom"}');
});
let base = '';
const lookup = createJsonLookup({
  policy: createAddressPolicy({ allow: ['127.0.0.1'] }),
  userAgent: 'Tripwire-Lookups/test',
  maxBytes: 1024,
});
const strict = createJsonLookup({ policy: createAddressPolicy({ allow: [] }), userAgent: 't', maxBytes: 1024 });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await lookup.close();
  await strict.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string, headers: Record<string, string> = {}, timeoutMs = 2000) =>
  lookup.get({ url: `${base}${path}`, headers, timeoutMs });

describe('createJsonLookup', () => {
  it('answers the JSON of a 2xx and sends the headers given', async () => {
    const answer = await get('/ok', { Authorization: 'Bearer t0k' });
    expect(answer).toMatchObject({ ok: true, status: 200, value: { plan: 'pro' } });
    expect(seen.at(-1)?.headers).toMatchObject({
      authorization: 'Bearer t0k',
      accept: 'application/json',
      'user-agent': 'Tripwire-Lookups/test',
    });
  });

  it.each([
    ['/big', 'too_large', 'the answer is over 1 KB'],
    ['/text', 'not_json', 'the answer is not JSON'],
    ['/broken', 'status', `answered 500`],
    ['/moved', 'status', 'redirects are not followed'],
  ])('%s -> %s', async (path, reason, message) => {
    const answer = await get(path);
    expect(answer).toMatchObject({ ok: false, reason });
    expect(answer.ok ? '' : answer.message).toContain(message);
  });

  it('gives up at the time-out', async () => {
    const started = performance.now();
    expect(await get('/slow', {}, 200)).toMatchObject({
      ok: false,
      reason: 'timeout',
      message: 'no answer within 200 ms',
    });
    expect(performance.now() - started).toBeLessThan(900);
  });

  it('refuses private addresses unless allowed, and says so without the header values', async () => {
    const answer = await strict.get({ url: `${base}/ok`, headers: { authorization: 'Bearer t0k' }, timeoutMs: 500 });
    expect(answer).toMatchObject({ ok: false, reason: 'refused' });
    expect(answer.ok ? '' : answer.message).toMatch(/^look-ups only reach public addresses/);
    expect(JSON.stringify(answer)).not.toContain('t0k');
  });

  it('refuses a header value that cannot be sent, without quoting it', async () => {
    const answer = await get('/ok', { 'x-note': 'secret\r\nInjected: 1' });
    expect(answer).toMatchObject({ ok: false, reason: 'invalid_request' });
    expect(JSON.stringify(answer)).not.toContain('secret');
  });

  it('refuses URLs that are not http(s)', async () => {
    expect(await lookup.get({ url: 'file:///etc/passwd', headers: {}, timeoutMs: 500 })).toMatchObject({
      ok: false,
      reason: 'invalid_url',
    });
  });
});
