// Runs the web app's /v1 API in-process on a random port, against the real Postgres and a private
// Kafka topic, with fresh tenants, so each test file is isolated from every other.
import type { AddressInfo } from 'node:net';
import { testKafka } from '@tripwire/testing';
import { WebEnv } from '../../src/env.ts';
import { createLogger } from '../../src/logger.ts';
import { createTenant } from '../../src/services/tenants.ts';
import { createWebApp, type WebApp } from '../../src/web-app.ts';

export interface ApiFixture {
  url: string;
  topic: string;
  web: WebApp;
  kafka: ReturnType<typeof testKafka>;
  stop(): Promise<void>;
}

export async function startApi(name: string, overrides: Record<string, string> = {}): Promise<ApiFixture> {
  const kafka = testKafka();
  const topic = overrides.EVENTS_TOPIC ?? (await kafka.createTopic(name));
  const env = WebEnv.parse({ ...process.env, LOG_LEVEL: 'silent', EVENTS_TOPIC: topic, ...overrides });
  const web = createWebApp(env, createLogger('silent'));
  await web.start();
  const server = web.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    topic,
    web,
    kafka,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await web.stop();
    },
  };
}

export function newTenant(fixture: ApiFixture, options: { ingestRatePerSecond?: number; ingestBurst?: number } = {}) {
  return createTenant(fixture.web.db, { name: `test ${Date.now()}`, ...options });
}

export const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
export const bearer = (key: string) => `Bearer ${key}`;

/** fetch with a JSON body and an API key; returns status, headers and parsed body. */
export async function call(
  url: string,
  init: { method?: string; key?: string; auth?: string; body?: unknown; raw?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.auth) headers.authorization = init.auth;
  else if (init.key) headers.authorization = bearer(init.key);
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  if (body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on response bodies field by field
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json };
}
