import { createDb } from '@tripwire/db';
import { createAddressPolicy, createJsonLookup } from '@tripwire/platform';
import { actionQueue, builtinRegistry, LOOKUP_MAX_RESPONSE_BYTES, type Registry, splitNodeKey } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { createActionDispatcher } from './action-dispatcher.ts';
import { createWebhookExecutor } from './actions/action-webhook.ts';
import { type ExecutorDefinition, loadExecutors } from './actions/executors.ts';
import { createBatchProcessor } from './batch-processor.ts';
import { type Clock, systemClock } from './clock.ts';
import type { EngineEnv } from './env.ts';
import { createEventEvaluator } from './event-evaluator.ts';
import { createHealthServer, type HealthReport } from './health-server.ts';
import { type Archiver, createArchiver } from './history/archiver.ts';
import { createJobQueues, type JobQueues } from './jobs/job-queues.ts';
import { createQueueMonitor } from './jobs/queue-monitor.ts';
import { createKafka } from './kafka/kafka-client.ts';
import { createLagClock } from './lag-clock.ts';
import type { Logger } from './logger.ts';
import { createLookups } from './lookups/lookups.ts';
import { createMaintenance } from './maintenance.ts';
import { createMetrics } from './metrics.ts';
import { createResumeWorker } from './resume-worker.ts';
import { createRunAdvancer } from './run-advancer.ts';
import { createProfileCache } from './state/profiles.ts';
import { createSecretLookup } from './state/signing-secrets.ts';
import { createWorkflowCache } from './workflow-cache.ts';

export interface EngineOptions {
  /** The node definitions this engine runs (by type@version); the built-ins by default. */
  registry?: Registry;
  /** Executors that are not files in src/actions (node types a test defines). */
  executors?: readonly ExecutorDefinition[];
  clock?: Clock;
}

/**
 * Wires the engine: Kafka in -> evaluate per user -> per-user state -> pg-boss jobs out.
 * Several engines in one consumer group share the partitions, and with them the users.
 */
export function createEngine(env: EngineEnv, logger: Logger, options: EngineOptions = {}) {
  const registry = options.registry ?? builtinRegistry;
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const { db, close: closeDb } = createDb({
    connectionString: env.DATABASE_URL,
    // A transaction per partition in flight (6) and per resume batch in flight, and two for the rest.
    max: 8 + env.RESUME_CONCURRENCY,
    applicationName: 'tripwire-engine',
  });
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, logger });
  const producer = kafka.producer();
  const cache = createWorkflowCache({
    db,
    registry,
    connectionString: env.DATABASE_URL,
    logger,
    resyncIntervalMs: env.WORKFLOW_RESYNC_SECONDS * 1000,
  });
  const profiles = createProfileCache({ ttlMs: env.PROFILE_CACHE_TTL_SECONDS * 1000 });
  const maintenance = createMaintenance(db, logger, {
    runRetentionDays: env.RUN_RETENTION_DAYS,
    processedRetentionHours: env.PROCESSED_RETENTION_HOURS,
  });
  let jobs: JobQueues | undefined;
  let stopWorkers: (() => Promise<unknown>)[] = [];
  let lagTimer: NodeJS.Timeout | undefined;
  let stopMonitor = () => {};
  const lagClock = createLagClock();
  // The history archiver shares the process, not the consumer group, pool or transactions.
  const archiver: Archiver | undefined = env.HISTORY_ARCHIVER
    ? createArchiver({
        brokers: env.KAFKA_BROKERS,
        clientId: `${env.KAFKA_CLIENT_ID}-archiver`,
        groupId: env.HISTORY_GROUP_ID ?? `${env.KAFKA_GROUP_ID}-history`,
        topic: env.EVENTS_TOPIC,
        fromBeginning: env.KAFKA_FROM_BEGINNING,
        sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
        databaseUrl: env.DATABASE_URL,
        maxDays: env.HISTORY_MAX_DAYS,
        logger: logger.child({ part: 'archiver' }),
      })
    : undefined;

  let processBatch: ReturnType<typeof createBatchProcessor> | undefined;
  const consumer = kafka.consumer({
    groupId: env.KAFKA_GROUP_ID,
    topic: env.EVENTS_TOPIC,
    fromBeginning: env.KAFKA_FROM_BEGINNING,
    sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
    // Cached traits of users this engine may have lost and got back: another engine saw their identify.
    onJoin: () => profiles.clear(),
    onBatch: async (messages, control) => {
      const outcome = await (processBatch as NonNullable<typeof processBatch>)(messages, control);
      const last = messages[messages.length - 1];
      if (last && outcome !== 'partial') lagClock.processed(last.partition, Number(last.timestamp));
      return outcome;
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
      workflows: cache.size(),
    };
  }
  const health = createHealthServer({ host: env.ENGINE_HOST, port: env.ENGINE_PORT, metrics, check });

  return {
    metrics,
    cache,
    db,
    archiver,
    async start() {
      const port = await health.listen();
      logger.info({ port }, 'health server listening');
      // One address guard for everything sent on a tenant's behalf: webhooks and look-ups.
      const policy = createAddressPolicy({ allow: env.WEBHOOK_ALLOWED_HOSTS });
      const webhook = createWebhookExecutor({
        policy,
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        userAgent: 'Tripwire-Webhooks/1.0',
      });
      const lookupHttp = createJsonLookup({
        policy,
        userAgent: 'Tripwire-Lookups/1.0',
        maxBytes: LOOKUP_MAX_RESPONSE_BYTES,
      });
      const executors = await loadExecutors(
        registry,
        {
          webhook,
          producer,
          logger,
          ownTopics: [env.EVENTS_TOPIC, env.DLQ_TOPIC],
          kafkaTopicsPerTenant: env.ACTION_KAFKA_TOPICS_PER_TENANT,
          signingSecrets: createSecretLookup(db),
        },
        options.executors,
      );
      jobs = await createJobQueues({
        connectionString: env.DATABASE_URL,
        schema: env.JOBS_SCHEMA,
        logger,
        actionQueues: [...executors.keys()].map((key) => {
          const { type, version } = splitNodeKey(key);
          return actionQueue(type, version);
        }),
        retryLimit: env.ACTION_RETRY_LIMIT,
        retryDelaySeconds: env.ACTION_RETRY_DELAY_SECONDS,
        retryDelayMaxSeconds: env.ACTION_RETRY_DELAY_MAX_SECONDS,
        // Longer than any one delivery can take (timeout, redirects), short enough that a crashed
        // engine's in-flight actions are retried by the others soon.
        actionExpireSeconds: Math.ceil((env.WEBHOOK_TIMEOUT_MS * 2) / 1000) + 5,
        resumeExpireSeconds: env.JOBS_RESUME_EXPIRE_SECONDS,
        superviseSeconds: env.JOBS_SUPERVISE_SECONDS,
        onEnqueued: (queue, n) => metrics.jobsEnqueued.inc({ queue }, n),
      });
      await cache.start();
      metrics.workflowsLoaded.set(cache.size());
      const lookups = createLookups({ http: lookupHttp, clock, metrics });
      const advancer = createRunAdvancer({ cache, profiles, metrics, clock, lookups });
      const evaluator = createEventEvaluator({ cache, profiles, metrics, advancer, clock });
      processBatch = createBatchProcessor({
        db,
        cache,
        evaluator,
        jobs,
        profiles,
        producer,
        dlqTopic: env.DLQ_TOPIC,
        metrics,
        logger,
      });

      const dispatcher = createActionDispatcher({
        db,
        jobs,
        executors,
        metrics,
        logger,
        connectionString: env.DATABASE_URL,
        jobsSchema: env.JOBS_SCHEMA,
        inFlight: env.ACTION_IN_FLIGHT,
        endpointConcurrency: env.ACTION_ENDPOINT_CONCURRENCY,
        endpointRate: env.ACTION_ENDPOINT_RATE,
        circuit: {
          failures: env.CIRCUIT_FAILURES,
          pauseMs: env.CIRCUIT_PAUSE_SECONDS * 1000,
          maxPauseMs: env.CIRCUIT_MAX_PAUSE_SECONDS * 1000,
        },
      });
      const resumer = createResumeWorker({
        db,
        jobs,
        cache,
        advancer,
        metrics,
        logger,
        clock,
        batchSize: env.RESUME_BATCH_SIZE,
        concurrency: env.RESUME_CONCURRENCY,
      });
      await dispatcher.start();
      await resumer.start();
      stopWorkers = [() => dispatcher.stop(), () => resumer.stop(), () => webhook.close(), () => lookupHttp.close()];
      maintenance.start();
      const monitor = createQueueMonitor({ db, boss: jobs.boss, schema: env.JOBS_SCHEMA, metrics, logger });
      monitor.start();
      stopMonitor = () => monitor.stop();
      await consumer.start();
      await archiver?.start();
      lagTimer = setInterval(() => {
        metrics.workflowsLoaded.set(cache.size());
        void consumer
          .partitionLag()
          .then((left) => {
            metrics.consumerLag.set([...left.values()].reduce((a, b) => a + b, 0));
            metrics.consumerLagSeconds.set(lagClock.seconds(left));
          })
          .catch(() => {});
      }, 5000);
      lagTimer.unref();
      return { port };
    },
    /** Graceful: finish the batch in hand and commit, stop the workers, then close connections. */
    async stop() {
      clearInterval(lagTimer);
      stopMonitor();
      maintenance.stop();
      await consumer.stop().catch((err: unknown) => logger.warn({ err }, 'consumer stop failed'));
      await archiver?.stop();
      for (const stop of stopWorkers) await stop();
      await jobs?.stop().catch((err: unknown) => logger.warn({ err }, 'pg-boss stop failed'));
      await cache.stop();
      await producer.disconnect().catch(() => {});
      await health.close();
      await closeDb();
    },
    check,
  };
}
