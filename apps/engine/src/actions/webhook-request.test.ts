import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.ts';
import { encodeBody, type Hop, redirectHop, tenantHeaders } from './webhook-request.ts';

describe('encodeBody', () => {
  it('always sends JSON: strings become JSON strings and a missing body is null', () => {
    expect(encodeBody({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(encodeBody('hi')).toBe('"hi"');
    expect(encodeBody(undefined)).toBe('null');
    expect(encodeBody(0)).toBe('0');
  });

  it('refuses values JSON cannot carry as permanent errors', () => {
    expect(() => encodeBody({ n: 1n })).toThrow(PermanentError);
    expect(() => encodeBody(() => 1)).toThrow(expect.objectContaining({ code: 'webhook.invalid_body' }));
  });
});

describe('tenantHeaders', () => {
  it('keeps ordinary headers, lower-cased, and silently drops the ones the platform owns', () => {
    const headers = tenantHeaders({
      Authorization: 'Bearer t',
      'X-Trace': '1',
      Host: 'evil.example',
      'Webhook-Signature': 'v1,forged',
      'webhook-id': 'other',
      'Content-Length': '1',
      'Transfer-Encoding': 'chunked',
      'User-Agent': 'mine',
    });
    expect(headers).toEqual({ authorization: 'Bearer t', 'x-trace': '1' });
  });

  it.each([
    ['X-Bad', 'a\r\nInjected: 1'],
    ['Bad Name', 'x'],
    ['', 'x'],
    ['X-Nul', 'a\0b'],
    // undici could not send it: refused here, as validation refuses it at publish.
    ['X-Price', '5 €'],
    ['X-Long-'.padEnd(101, 'x'), 'x'],
  ])('refuses %j: %j', (name, value) => {
    expect(() => tenantHeaders({ [name]: value })).toThrow(expect.objectContaining({ code: 'webhook.invalid_header' }));
  });
});

describe('redirectHop', () => {
  const hop: Hop = {
    url: new URL('https://a.example/hook'),
    method: 'POST',
    body: '{"a":1}',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t', cookie: 'c=1', 'x-keep': 'y' },
  };

  it('keeps method and body for 307 and 308 and resolves relative locations', () => {
    for (const status of [307, 308]) {
      expect(redirectHop(hop, status, '/next')).toEqual({ ...hop, url: new URL('https://a.example/next') });
    }
  });

  it('turns 303 into a GET without body, and 301/302 too when the method was POST', () => {
    for (const status of [301, 302, 303]) {
      const next = redirectHop(hop, status, 'https://a.example/get');
      expect(next).toMatchObject({ method: 'GET', body: undefined });
      expect(next?.headers).not.toHaveProperty('content-type');
    }
    expect(redirectHop({ ...hop, method: 'PUT' }, 302, '/x')).toMatchObject({ method: 'PUT', body: '{"a":1}' });
    expect(redirectHop({ ...hop, method: 'PUT' }, 303, '/x')).toMatchObject({ method: 'GET' });
  });

  it('drops credentials when the redirect leaves the origin', () => {
    expect(redirectHop(hop, 307, 'https://b.example/')?.headers).toEqual({
      'content-type': 'application/json',
      'x-keep': 'y',
    });
    expect(redirectHop(hop, 307, 'http://a.example/hook')?.headers).not.toHaveProperty('authorization');
  });

  it('ignores answers that are not redirects or carry no location', () => {
    expect(redirectHop(hop, 200, '/x')).toBeUndefined();
    expect(redirectHop(hop, 304, '/x')).toBeUndefined();
    expect(redirectHop(hop, 302, undefined)).toBeUndefined();
  });

  it('refuses an unreadable location', () => {
    expect(() => redirectHop(hop, 302, 'http://[nope/')).toThrow(
      expect.objectContaining({ code: 'webhook.invalid_redirect' }),
    );
  });
});
