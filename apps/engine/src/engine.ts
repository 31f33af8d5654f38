import { createDb } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import type { EngineEnv } from './env.ts';
import { createHealthServer, type HealthReport } from './health-server.ts';
import { createKafkaConsumer } from './kafka-consumer.ts';
import type { Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';

/**
 * Wires the engine: Kafka consumer, Postgres, the health/metrics server.
 * Evaluation, state and dispatch plug into onBatch (issue: Engine).
 */
export function createEngine(env: EngineEnv, logger: Logger) {
  const metrics = createMetrics();
  const { db, close: closeDb } = createDb({
    connectionString: env.DATABASE_URL,
    max: 5,
    applicationName: 'tripwire-engine',
  });
  const consumer = createKafkaConsumer({
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    groupId: env.KAFKA_GROUP_ID,
    topic: env.EVENTS_TOPIC,
    logger,
    onBatch: async (messages) => {
      metrics.eventsConsumed.inc(messages.length);
    },
  });

  async function check(): Promise<HealthReport> {
    const started = performance.now();
    const postgres = await db
      .execute(sql`select 1`)
      .then(() => ({ ok: true, latencyMs: Math.round(performance.now() - started) }))
      .catch((e: Error) => ({ ok: false, error: e.message }));
    const kafkaOk = consumer.state() === 'joined' && (await consumer.ping());
    return {
      status: postgres.ok && kafkaOk ? 'ok' : 'degraded',
      postgres,
      kafka: { ok: kafkaOk, consumer: consumer.state() },
    };
  }

  const health = createHealthServer({ host: env.ENGINE_HOST, port: env.ENGINE_PORT, metrics, check });

  return {
    async start() {
      const port = await health.listen();
      logger.info({ port }, 'health server listening');
      await consumer.start();
      return { port };
    },
    async stop() {
      await consumer.stop();
      await health.close();
      await closeDb();
    },
    check,
  };
}
