import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka } from '../test/kafka-admin.ts';
import { createEngine } from './engine.ts';
import { EngineEnv } from './env.ts';
import { createLogger } from './logger.ts';

const kafka = testKafka(process.env.KAFKA_BROKERS as string);
let topic: string;
let baseUrl: string;
let engine: ReturnType<typeof createEngine>;

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  topic = await kafka.createTopic('engine-health');
  const env = EngineEnv.parse({
    ...process.env,
    EVENTS_TOPIC: topic,
    KAFKA_GROUP_ID: `test-engine-${randomUUID()}`,
    ENGINE_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  engine = createEngine(env, createLogger('silent'));
  const { port } = await engine.start();
  baseUrl = `http://127.0.0.1:${port}`;
});
afterAll(() => engine?.stop());

describe('engine process (real Kafka and Postgres)', () => {
  it('joins its consumer group and reports both dependencies healthy on GET /health', async () => {
    const body = await until(async () => {
      const res = await fetch(`${baseUrl}/health`);
      return res.status === 200 ? await res.json() : undefined;
    });
    expect(body).toMatchObject({ status: 'ok', postgres: { ok: true }, kafka: { ok: true, consumer: 'joined' } });
  });

  it('consumes events from its topic and counts them in /metrics', async () => {
    await kafka.produce(
      topic,
      Array.from({ length: 5 }, (_, i) => ({ key: `t:u${i}`, value: JSON.stringify({ n: i }) })),
    );
    const count = await until(async () => {
      const text = await (await fetch(`${baseUrl}/metrics`)).text();
      const match = /^tripwire_events_consumed_total (\d+)/m.exec(text);
      const n = match ? Number(match[1]) : 0;
      return n >= 5 ? n : undefined;
    });
    expect(count).toBe(5);
  });

  it('answers 404 for unknown paths', async () => {
    const res = await fetch(`${baseUrl}/nope`);
    expect(res.status).toBe(404);
  });
});
