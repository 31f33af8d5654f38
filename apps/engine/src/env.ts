import {
  flag as bool,
  kafkaBrokers as brokers,
  commaList as list,
  logLevel,
  loadEnv as parseEnv,
} from '@tripwire/platform';
import { z } from 'zod';

export const EngineEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: logLevel.default('info'),
  DATABASE_URL: z.url().default('postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire'),
  KAFKA_BROKERS: brokers.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).default('tripwire-engine'),
  KAFKA_GROUP_ID: z.string().min(1).default('tripwire-engine'),
  KAFKA_FROM_BEGINNING: bool.default(false),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  EVENTS_TOPIC: z.string().min(1).default('tripwire.events'),
  DLQ_TOPIC: z.string().min(1).default('tripwire.events.dlq'),
  ENGINE_HOST: z.string().min(1).default('127.0.0.1'),
  ENGINE_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /** pg-boss's schema; tests give each engine its own. */
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('pgboss'),
  JOBS_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * How long a claimed resume batch may stay unsettled before another engine takes it over (its
   * engine died). Longer than a batch takes; a batch run twice is harmless (resumes claim their key).
   */
  JOBS_RESUME_EXPIRE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /**
   * Resume jobs fetched at once; one transaction resumes them all with a few statements per tenant
   * in the batch, so bigger batches cost fewer statements per resume (see resume-worker.ts).
   */
  RESUME_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  /** Resume batches in flight per engine. */
  RESUME_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(4),
  WEBHOOK_ALLOWED_HOSTS: list.default([]),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  ACTION_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(8),
  ACTION_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  ACTION_RETRY_DELAY_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** Deliveries this engine has in flight per action queue (all tenants and endpoints together). */
  ACTION_IN_FLIGHT: z.coerce.number().int().min(1).max(5000).default(400),
  /** At most this many requests open at once to one endpoint (a tenant's URL origin), across all engines. */
  ACTION_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(10),
  /** At most this many requests per second to one endpoint, from this engine. */
  ACTION_ENDPOINT_RATE: z.coerce.number().min(0.1).max(10_000).default(50),
  /** Failed deliveries in a row that open an endpoint's circuit (pause its deliveries). */
  CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(1000).default(10),
  /** The first pause of an open circuit; it doubles while tries keep failing, up to the maximum. */
  CIRCUIT_PAUSE_SECONDS: z.coerce.number().min(0.1).max(3600).default(30),
  CIRCUIT_MAX_PAUSE_SECONDS: z.coerce.number().min(1).max(86_400).default(600),
  /** Kafka topics action.kafka may create in one tenant's namespace (tenant.<tenantId>.*). */
  ACTION_KAFKA_TOPICS_PER_TENANT: z.coerce.number().int().min(1).max(10_000).default(20),
  RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  PROCESSED_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(168),
  WORKFLOW_RESYNC_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Run the event history archiver in this process (its own consumer group); off when it runs apart. */
  HISTORY_ARCHIVER: bool.default(true),
  /** The archiver's consumer group; `<KAFKA_GROUP_ID>-history` when unset. */
  HISTORY_GROUP_ID: z.string().min(1).optional(),
  /** The longest event history any tenant may keep (days); tenants keep 7 by default. */
  HISTORY_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  PROFILE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
});
export type EngineEnv = z.infer<typeof EngineEnv>;

/** Parses the environment once at start; on failure prints every problem and exits. */
export function loadEnv(source: Record<string, string | undefined> = process.env): EngineEnv {
  return parseEnv(EngineEnv, 'engine', source);
}
