import { kafkaBrokers as brokers, commaList, logLevel, loadEnv as parseEnv } from '@tripwire/platform';
import { z } from 'zod';

export const WebEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: logLevel.default('info'),
  DATABASE_URL: z.url().default('postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire'),
  KAFKA_BROKERS: brokers.default(['127.0.0.1:9092']),
  EVENTS_TOPIC: z.string().min(1).default('tripwire.events'),
  DLQ_TOPIC: z.string().min(1).default('tripwire.events.dlq'),
  WEB_HOST: z.string().min(1).default('127.0.0.1'),
  /** Run backtest jobs in this process (one at a time); off where a separate worker runs them. */
  BACKTEST_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** The longest event history any tenant may keep (days); the engine's archiver keeps the same. */
  HISTORY_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  /** Failed sign-ins from one client address within 15 minutes before it is throttled. */
  SIGNIN_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  /** GET /metrics (Prometheus) listens here, apart from the public port; 0 picks a free port. */
  WEB_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WEB_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Tenant ids (comma-separated) whose ingestion gets its own metric series; empty = none. */
  METRICS_TENANT_LABELS: z
    .string()
    .default('')
    .pipe(commaList)
    .pipe(z.array(z.uuid('expected tenant ids (UUIDs)')).max(50, 'at most 50 tenants')),
  /** Sign-ups from one client address within 15 minutes before it is throttled. */
  SIGNUPS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(10),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (Express's "trust proxy":
   * "loopback", addresses or CIDRs, comma-separated). Empty: none; the socket's address is used,
   * so a client cannot pick its own address by sending the header.
   */
  TRUST_PROXY: z.string().default(''),
  /**
   * Private addresses the editor's look-up test may reach (the engine's setting of the same name, so
   * a test run reaches what the published workflow will): empty in production.
   */
  WEBHOOK_ALLOWED_HOSTS: commaList.default([]),
  /** pg-boss's schema (shared with the engines), for replaying dead letters. */
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .default('pgboss'),
});
export type WebEnv = z.infer<typeof WebEnv>;

/** Parses the environment once at start; on failure prints every problem and exits. */
export function loadEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  return parseEnv(WebEnv, 'web', source);
}
