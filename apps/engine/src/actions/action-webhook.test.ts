import { randomBytes } from 'node:crypto';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type AddressPolicy, createAddressPolicy, type Resolver, verifyWebhook } from '@tripwire/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetriableError } from '../errors.ts';
import { createWebhookExecutor, SNIPPET_BYTES, type WebhookExecutor } from './action-webhook.ts';
import { type Receiver, type Respond, reply, startReceiver } from './test-receiver.ts';
import { TEST_TLS_CERT, TEST_TLS_KEY } from './test-tls.ts';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const ctx = { webhookId: 'msg_test_1', secrets: [secret] };
const loopbackOnly = createAddressPolicy({ allow: ['127.0.0.1'] });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function receiver(respond: Respond): Promise<Receiver> {
  const started = await startReceiver(respond);
  cleanups.push(started.close);
  return started;
}

function executor(options: { policy?: AddressPolicy; timeoutMs?: number } = {}): WebhookExecutor {
  const created = createWebhookExecutor({ policy: loopbackOnly, userAgent: 'Tripwire-Webhooks/test', ...options });
  cleanups.push(created.close);
  return created;
}

const post = (url: string, body: unknown = { event: 'signup' }, headers: Record<string, string> = {}) =>
  ({ url, method: 'POST', headers, body }) as const;

async function failure(promise: Promise<unknown>): Promise<RetriableError | PermanentError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RetriableError || error instanceof PermanentError)) {
    throw new Error(`expected an engine error, got ${String(error)}`);
  }
  return error;
}

describe('webhook executor: delivery', () => {
  it('sends signed JSON that the receiver verifies, and reports status, duration and answer', async () => {
    const server = await receiver((_req, res) => reply(res, 201, 'thanks'));
    const result = await executor().execute(
      post(`${server.origin}/hook`, { user: { id: 7 } }, { 'X-Tenant': 'acme' }),
      ctx,
    );

    expect(result).toMatchObject({ status: 201, responseSnippet: 'thanks' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [received] = server.requests;
    expect(received).toMatchObject({ method: 'POST', path: '/hook', body: '{"user":{"id":7}}' });
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Tripwire-Webhooks/test',
      'x-tenant': 'acme',
      'webhook-id': 'msg_test_1',
    });
    expect(Math.abs(Number(received?.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifyWebhook({ headers: received!.headers, body: received!.body, secret })).toEqual({ ok: true });
  });

  it('does not let tenant headers replace the signature or Host, but keeps their content-type', async () => {
    const server = await receiver((_req, res) => reply(res, 200));
    const headers = {
      'Webhook-Signature': 'v1,forged',
      'webhook-id': 'evil',
      Host: 'internal',
      'Content-Type': 'text/plain',
    };
    await executor().execute({ url: server.origin, method: 'PUT', headers, body: 'hello' }, ctx);

    const received = server.requests[0]!;
    expect(received.method).toBe('PUT');
    expect(received.body).toBe('"hello"');
    expect(received.headers).toMatchObject({ host: `127.0.0.1:${server.port}`, 'webhook-id': 'msg_test_1' });
    expect(received.headers['content-type']).toBe('text/plain');
    expect(verifyWebhook({ headers: received.headers, body: received.body, secret }).ok).toBe(true);
  });

  it('signs with every active secret during a rotation', async () => {
    const next = `whsec_${randomBytes(24).toString('base64')}`;
    const server = await receiver((_req, res) => reply(res, 204));
    await executor().execute(post(server.origin), { webhookId: 'msg_rot', secrets: [secret, next] });

    const { headers, body } = server.requests[0]!;
    expect(verifyWebhook({ headers, body, secret }).ok).toBe(true);
    expect(verifyWebhook({ headers, body, secret: next }).ok).toBe(true);
  });

  it('keeps the webhook-id across attempts so receivers can drop duplicates', async () => {
    const server = await receiver((_req, res, index) => reply(res, index === 0 ? 500 : 200));
    const webhook = executor();

    const first = await failure(webhook.execute(post(server.origin), ctx));
    expect(first).toMatchObject({ code: 'webhook.server_error', retriable: true, status: 500 });
    await expect(webhook.execute(post(server.origin), ctx)).resolves.toMatchObject({ status: 200 });

    expect(server.requests.map((r) => r.headers['webhook-id'])).toEqual(['msg_test_1', 'msg_test_1']);
    for (const { headers, body } of server.requests) expect(verifyWebhook({ headers, body, secret }).ok).toBe(true);
  });

  it('keeps only the first 2 KB of a large answer', async () => {
    const server = await receiver((_req, res) => reply(res, 200, 'x'.repeat(1_000_000)));
    const result = await executor().execute(post(server.origin), ctx);
    expect(result.responseSnippet).toHaveLength(SNIPPET_BYTES);
  });
});

describe('webhook executor: answers that fail', () => {
  it.each([500, 502, 503, 408])('treats %d as retriable', async (status) => {
    const server = await receiver((_req, res) => reply(res, status, 'down'));
    const error = await failure(executor().execute(post(server.origin), ctx));
    expect(error).toBeInstanceOf(RetriableError);
    expect(error).toMatchObject({ code: 'webhook.server_error', status, details: { responseSnippet: 'down' } });
  });

  it('passes a 429 Retry-After in seconds or as a date on to the queue, capped at an hour', async () => {
    const answers = ['120', new Date(Date.now() + 30_000).toUTCString(), '999999'];
    const server = await receiver((_req, res, index) =>
      reply(res, 429, 'slow down', { 'retry-after': answers[index]! }),
    );
    const webhook = executor();

    const seconds = await failure(webhook.execute(post(server.origin), ctx));
    expect(seconds).toMatchObject({
      code: 'webhook.rate_limited',
      retriable: true,
      status: 429,
      retryAfterMs: 120_000,
    });
    const date = (await failure(webhook.execute(post(server.origin), ctx))) as RetriableError;
    expect(date.retryAfterMs).toBeGreaterThan(25_000);
    expect(date.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(await failure(webhook.execute(post(server.origin), ctx))).toMatchObject({ retryAfterMs: 3_600_000 });
  });

  it.each([400, 401, 404, 410, 422])('treats %d as permanent', async (status) => {
    const server = await receiver((_req, res) => reply(res, status, 'no such hook'));
    const error = await failure(executor().execute(post(server.origin), ctx));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error).toMatchObject({ code: 'webhook.client_error', status, details: { responseSnippet: 'no such hook' } });
  });

  it('gives up on a slow receiver after timeoutMs with a retriable timeout', async () => {
    const server = await receiver((_req, res) => {
      setTimeout(() => reply(res, 200), 5_000).unref();
    });
    const started = Date.now();
    const error = await failure(executor({ timeoutMs: 200 }).execute(post(server.origin), ctx));
    expect(error).toMatchObject({ code: 'webhook.timeout', retriable: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops when the caller aborts, and says so rather than calling it a timeout', async () => {
    const server = await receiver((_req, res) => {
      setTimeout(() => reply(res, 200), 5_000).unref();
    });
    const error = await failure(executor().execute(post(server.origin), { ...ctx, signal: AbortSignal.timeout(100) }));
    expect(error).toMatchObject({ code: 'webhook.aborted', retriable: true });
  });

  it('treats a refused connection as a retriable network error', async () => {
    const server = await startReceiver(() => undefined);
    await server.close();
    const error = await failure(executor().execute(post(server.origin), ctx));
    expect(error).toMatchObject({ code: 'webhook.network_error', retriable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses to send without a usable signing secret', async () => {
    const webhook = executor();
    expect(await failure(webhook.execute(post('http://127.0.0.1:9/'), { webhookId: 'm', secrets: [] }))).toMatchObject({
      code: 'webhook.no_secret',
      retriable: false,
    });
    const error = await failure(webhook.execute(post('http://127.0.0.1:9/'), { webhookId: 'm', secrets: ['whsec_'] }));
    expect(error).toMatchObject({ code: 'webhook.invalid_secret', retriable: false });
  });
});

describe('webhook executor: redirects', () => {
  it('follows a 307/308 chain keeping method, body and signature', async () => {
    const server = await receiver((req, res) => {
      if (req.path === '/one') return reply(res, 307, '', { location: '/two' });
      if (req.path === '/two') return reply(res, 308, '', { location: `${server.origin}/three` });
      return reply(res, 200, 'arrived');
    });
    const result = await executor().execute(post(`${server.origin}/one`, { n: 1 }), ctx);

    expect(result).toMatchObject({ status: 200, responseSnippet: 'arrived' });
    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/one', '{"n":1}'],
      ['POST', '/two', '{"n":1}'],
      ['POST', '/three', '{"n":1}'],
    ]);
    for (const { headers, body } of server.requests) expect(verifyWebhook({ headers, body, secret }).ok).toBe(true);
  });

  it('turns a 303 into a bodyless GET', async () => {
    const server = await receiver((req, res) =>
      req.path === '/see-other' ? reply(res, 303, '', { location: '/result' }) : reply(res, 200),
    );
    await executor().execute(post(`${server.origin}/see-other`), ctx);
    expect(server.requests[1]).toMatchObject({ method: 'GET', path: '/result', body: '' });
    expect(server.requests[1]?.headers).not.toHaveProperty('content-type');
  });

  it('gives up after three redirects', async () => {
    const server = await receiver((_req, res, index) => reply(res, 302, '', { location: `/hop-${index + 1}` }));
    const error = await failure(executor().execute({ ...post(server.origin), method: 'PUT' }, ctx));
    expect(error).toMatchObject({ code: 'webhook.too_many_redirects', retriable: false });
    expect(server.requests).toHaveLength(4);
  });

  it('refuses a redirect to the metadata address without connecting to it', async () => {
    const server = await receiver((_req, res) =>
      reply(res, 302, '', { location: 'http://169.254.169.254/latest/meta-data/' }),
    );
    const error = await failure(executor({ timeoutMs: 2_000 }).execute(post(server.origin), ctx));
    expect(error).toMatchObject({ code: 'webhook.refused_address', retriable: false });
    expect(error.message).not.toContain('meta-data');
    expect(server.requests).toHaveLength(1);
  });

  it('refuses an unreadable redirect location as permanent', async () => {
    const server = await receiver((_req, res) => reply(res, 302, 'moved', { location: 'http://[nope/' }));
    const error = await failure(executor().execute(post(server.origin), ctx));
    expect(error).toMatchObject({ code: 'webhook.invalid_redirect', retriable: false, status: 302 });
  });

  it('does not forward Authorization to another origin', async () => {
    const other = await receiver((_req, res) => reply(res, 200));
    const first = await receiver((_req, res) => reply(res, 307, '', { location: `${other.origin}/x` }));
    await executor().execute(post(first.origin, {}, { Authorization: 'Bearer tenant-token', 'X-Keep': '1' }), ctx);

    expect(first.requests[0]?.headers.authorization).toBe('Bearer tenant-token');
    expect(other.requests[0]?.headers).not.toHaveProperty('authorization');
    expect(other.requests[0]?.headers['x-keep']).toBe('1');
  });
});

describe('webhook executor: address policy', () => {
  it('refuses a loopback URL before connecting when 127.0.0.1 is not allowed', async () => {
    const server = await receiver((_req, res) => reply(res, 200));
    const strict = executor({ policy: createAddressPolicy({ allow: [] }) });
    const error = await failure(strict.execute(post(`${server.origin}/private?token=abc`), ctx));

    expect(error).toMatchObject({ code: 'webhook.refused_address', retriable: false });
    expect(error.message).not.toContain('token');
    expect(server.connections()).toBe(0);
  });

  it.each([
    ['ftp://127.0.0.1/upload', 'webhook.unsupported_scheme'],
    ['http://user:pw@127.0.0.1/', 'webhook.credentials_in_url'],
    ['not a url', 'webhook.invalid_url'],
  ])('refuses %s as %s', async (url, code) => {
    expect(await failure(executor().execute(post(url), ctx))).toMatchObject({ code, retriable: false });
  });

  it('refuses localhost, which resolves to 127.0.0.1, unless the hostname itself is allowed', async () => {
    const server = await receiver((_req, res) => reply(res, 200));
    const url = `http://localhost:${server.port}/`;
    const strict = executor({ policy: createAddressPolicy({ allow: [] }) });
    expect(await failure(strict.execute(post(url), ctx))).toMatchObject({ code: 'webhook.refused_address' });
    expect(server.connections()).toBe(0);

    const trusting = executor({ policy: createAddressPolicy({ allow: ['localhost'] }) });
    await expect(trusting.execute(post(url), ctx)).resolves.toMatchObject({ status: 200 });
    expect(server.requests[0]?.headers.host).toBe(`localhost:${server.port}`);
  });

  it('connects to the address vetted at connect time, so a rebinding name cannot reach a private host', async () => {
    const server = await receiver((_req, res) => reply(res, 200));
    // First answer (the pre-flight check) is public, the second (the socket's own lookup) is private.
    const answers = [['8.8.8.8'], ['10.0.0.7']];
    let calls = 0;
    const rebinding: Resolver = async () =>
      (answers[calls++] ?? ['10.0.0.7']).map((address) => ({ address, family: 4 }));
    const webhook = executor({ policy: createAddressPolicy({ allow: [], resolve: rebinding }) });

    const error = await failure(webhook.execute(post(`http://rebind.test:${server.port}/`), ctx));
    expect(error).toMatchObject({ code: 'webhook.refused_address', retriable: false });
    expect(error.message).toContain('10.0.0.7');
    expect(calls).toBe(2);
    expect(server.connections()).toBe(0);
  });

  it('keeps the hostname for Host while connecting to the resolved address', async () => {
    const server = await receiver((_req, res) => reply(res, 200));
    const pinned: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const webhook = executor({ policy: createAddressPolicy({ allow: ['127.0.0.1'], resolve: pinned }) });

    await webhook.execute(post(`http://hooks.tenant.test:${server.port}/in`), ctx);
    expect(server.requests[0]?.headers.host).toBe(`hooks.tenant.test:${server.port}`);
  });

  it('sends the hostname, not the pinned address, as TLS SNI', async () => {
    const serverNames: string[] = [];
    const server = createTlsServer({
      key: TEST_TLS_KEY,
      cert: TEST_TLS_CERT,
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(null);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const pinned: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const webhook = executor({ policy: createAddressPolicy({ allow: ['127.0.0.1'], resolve: pinned }) });

    // The certificate is self-signed, so the handshake fails after the ClientHello has named the server.
    const error = await failure(webhook.execute(post(`https://hooks.tenant.test:${port}/`), ctx));
    expect(serverNames).toEqual(['hooks.tenant.test']);
    expect(error).toMatchObject({ code: 'webhook.network_error', retriable: true });
  });

  it('retries later when the name does not resolve', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    const webhook = executor({ policy: createAddressPolicy({ allow: [], resolve: failing }) });
    const error = await failure(webhook.execute(post('https://hooks.tenant.test/'), ctx));
    expect(error).toMatchObject({ code: 'webhook.dns_failure', retriable: true });
  });
});
