// Integration-test fixtures for the engine: an engine in this process on a private topic, DLQ topic,
// consumer group and pg-boss schema. Tenants and publishing go through the web app's own services
// (tenants.ts); messages, the webhook receiver and Kafka helpers are the shared test support
// (@tripwire/testing).
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb } from '@tripwire/db';
import { testKafka } from '@tripwire/testing';
import { sql } from 'drizzle-orm';
import { createEngine, type EngineOptions } from '../src/engine.ts';
import { EngineEnv } from '../src/env.ts';
import { createLogger } from '../src/logger.ts';

export {
  identify,
  type ReceivedWebhook,
  type Receiver,
  type ReceiverAnswer,
  startReceiver,
  track,
  until,
} from '@tripwire/testing';
export { createTestTenant, publish, type TestTenant, unpublish } from './tenants.ts';

export const kafka = testKafka(process.env.KAFKA_BROKERS as string);

export function testDb() {
  return createDb({ connectionString: process.env.DATABASE_URL as string, max: 4 });
}

/** An engine in this process on its own topic, DLQ topic, consumer group and pg-boss schema. */
export async function startTestEngine(
  name: string,
  overrides: Record<string, string> = {},
  options: EngineOptions = {},
) {
  const topic = await kafka.createTopic(`${name}-events`, 3);
  const dlqTopic = await kafka.createTopic(`${name}-dlq`, 1);
  const schema = `pgboss_t_${randomBytes(5).toString('hex')}`;
  const env = EngineEnv.parse({
    ...process.env,
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    KAFKA_GROUP_ID: `test-engine-${randomUUID()}`,
    KAFKA_FROM_BEGINNING: 'true',
    ENGINE_PORT: '0',
    JOBS_SCHEMA: schema,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ACTION_RETRY_LIMIT: '3',
    ACTION_RETRY_DELAY_SECONDS: '1',
    ACTION_RETRY_DELAY_MAX_SECONDS: '2',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Tests that read the event history turn the archiver on; the others need not wait for its group.
    HISTORY_ARCHIVER: 'false',
    ...overrides,
  });
  const engine = createEngine(env, createLogger(env.LOG_LEVEL), options);
  const { port } = await engine.start();
  const { db, close } = testDb();
  return {
    engine,
    env,
    topic,
    dlqTopic,
    schema,
    url: `http://127.0.0.1:${port}`,
    produce: (messages: { key: string; value: string }[]) => kafka.produce(topic, messages),
    async stop() {
      await engine.stop();
      await db.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
      await close();
    },
  };
}
