import { randomUUID } from 'node:crypto';
import { actionAttempts, type Database, deadLetters, signingSecrets, userConsent, withTenant } from '@tripwire/db';
import {
  type ActionJob,
  actionQueue,
  DEAD_LETTER_QUEUE,
  noConsentReason,
  queueOf,
  splitNodeKey,
} from '@tripwire/rules';
import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { JobWithMetadata } from 'pg-boss';
import type { Executor } from './actions/executors.ts';
import { EngineError } from './errors.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import { PRIORITY } from './jobs/priority.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { type DeliveryRecord, recordDeliveries } from './state/action-deliveries.ts';

export interface DispatcherOptions {
  db: Database;
  jobs: JobQueues;
  /** By `type@version`. */
  executors: ReadonlyMap<string, Executor>;
  metrics: Metrics;
  logger: Logger;
  concurrency: number;
}

/**
 * Active signing secrets per tenant, cached briefly (rotation takes effect within a minute). The
 * lookup itself is cached, so the deliveries in flight for a tenant (a batch is often one tenant's)
 * share one query instead of each missing the cache at once.
 */
export function createSecretLookup(db: Database, ttlMs = 60_000) {
  const cache = new Map<string, { secrets: Promise<string[]>; until: number }>();
  const load = async (tenantId: string) => {
    const rows = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ secret: signingSecrets.secret })
        .from(signingSecrets)
        .where(
          and(
            eq(signingSecrets.tenantId, tenantId),
            or(isNull(signingSecrets.expiresAt), gt(signingSecrets.expiresAt, sql`now()`)),
          ),
        )
        .orderBy(signingSecrets.createdAt),
    );
    return rows.map((r) => r.secret);
  };
  return (tenantId: string): Promise<string[]> => {
    const hit = cache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.secrets;
    const entry = { secrets: load(tenantId), until: Date.now() + ttlMs };
    cache.set(tenantId, entry);
    // A failed lookup is not remembered: the next delivery asks again.
    entry.secrets.catch(() => {
      if (cache.get(tenantId) === entry) cache.delete(tenantId);
    });
    return entry.secrets;
  };
}

/**
 * pg-boss workers: one per action queue running its executor, and one filing dead letters.
 * Retriable failures go back to pg-boss (exponential backoff); a Retry-After longer than that is
 * honoured by rescheduling; permanent failures skip the remaining retries. Every failure is
 * recorded per action so its dead letter can say why.
 */
export function createActionDispatcher({ db, jobs, executors, metrics, logger, concurrency }: DispatcherOptions) {
  const { boss } = jobs;

  /** Records a failed attempt; returns how many attempts of this action have failed, this one included. */
  async function recordFailure(job: ActionJob, error: EngineError | Error): Promise<number> {
    const status = error instanceof EngineError ? (error.status ?? null) : null;
    const message = error instanceof EngineError ? `${error.code}: ${error.message}` : `crash: ${error.message}`;
    const [row] = await withTenant(db, job.tenantId, (tx) =>
      tx
        .insert(actionAttempts)
        .values({ tenantId: job.tenantId, actionId: job.actionId, attempts: 1, lastError: message, lastStatus: status })
        .onConflictDoUpdate({
          target: [actionAttempts.tenantId, actionAttempts.actionId],
          set: {
            attempts: sql`${actionAttempts.attempts} + 1`,
            lastError: message,
            lastStatus: status,
            updatedAt: sql`now()`,
          },
        })
        .returning({ attempts: actionAttempts.attempts }),
    );
    return row?.attempts ?? 1;
  }

  /**
   * Whether the user still grants the consent the action was sent with: it may have been withdrawn
   * while the action waited in the queue (a backlog, retries).
   */
  async function stillConsented({ tenantId, userId, consent }: ActionJob): Promise<boolean> {
    if (!consent || !userId) return true;
    const [row] = await withTenant(db, tenantId, (tx) =>
      tx
        .select({ granted: sql<boolean | null>`(${userConsent.preferences} ->> ${consent})::boolean` })
        .from(userConsent)
        .where(and(eq(userConsent.tenantId, tenantId), eq(userConsent.userId, userId))),
    );
    return row?.granted === true;
  }

  async function runOne(queue: string, executor: Executor, job: JobWithMetadata<ActionJob>, log: DeliveryRecord[]) {
    const { tenantId, actionId, runId, workflowId, nodeId } = job.data;
    const attempt = { tenantId, actionId, runId, workflowId, nodeId };
    const logs = logger.child({ tenantId, workflowId, runId, actionId });
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    if (job.data.consent && !(await stillConsented(job.data))) {
      const reason = noConsentReason(job.data.consent);
      logs.info({ queue, consent: job.data.consent }, 'action skipped: consent withdrawn');
      log.push({ ...attempt, outcome: 'skipped', error: `skipped: ${reason}` });
      return { id: job.id, status: 'completed' as const, output: { skipped: reason } };
    }
    try {
      const { responseSnippet, ...output } = await executor(job.data, job.signal);
      metrics.actionSeconds.observe({ queue, outcome: 'delivered' }, took());
      metrics.jobsCompleted.inc({ queue });
      logs.info({ queue, attempt: job.retryCount + 1, ...output }, 'action delivered');
      log.push({
        ...attempt,
        outcome: 'delivered',
        httpStatus: typeof output.status === 'number' ? output.status : undefined,
        latencyMs: took() * 1000,
        response: typeof responseSnippet === 'string' ? responseSnippet : undefined,
      });
      return { id: job.id, status: 'completed' as const, output };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      const expected = error instanceof EngineError;
      const retriable = expected ? error.retriable : true;
      metrics.jobsFailed.inc({ queue, retriable: String(retriable) });
      metrics.actionSeconds.observe({ queue, outcome: retriable ? 'retriable' : 'permanent' }, took());
      metrics.actionFailures.inc({ queue, reason: expected ? failureReason(error.code) : 'crash' });
      if (expected)
        logs.warn(
          { queue, attempt: job.retryCount + 1, code: error.code, status: error.status },
          'action attempt failed',
        );
      else logs.error({ err: error, queue }, 'action executor crashed');
      const failed = await recordFailure(job.data, error);
      const output = { error: error.message, code: expected ? error.code : 'crash' };
      const details = expected ? (error.details as { responseSnippet?: unknown } | undefined) : undefined;
      const record = (outcome: DeliveryRecord['outcome']) =>
        log.push({
          ...attempt,
          outcome,
          httpStatus: expected ? error.status : undefined,
          latencyMs: took() * 1000,
          response: typeof details?.responseSnippet === 'string' ? details.responseSnippet : undefined,
          error: `${output.code}: ${error.message}`,
        });
      if (!retriable) {
        record('failed');
        return { id: job.id, status: 'deadletter' as const, output };
      }
      const retryAfterMs = expected ? (error as EngineError & { retryAfterMs?: number }).retryAfterMs : undefined;
      const reschedules = job.data.reschedules ?? 0;
      // Attempts in all, across the reschedules: the first job's retries plus its first try,
      // counted from the failures recorded before that job (a replay starts a new budget).
      const budget = job.data.attemptBudget ?? job.retryLimit + 1;
      const base = job.data.attemptBase ?? failed - (job.retryCount + 1);
      const used = failed - base;
      if (retryAfterMs && used < budget) {
        // pg-boss cannot take a delay per failure; a fresh job at the requested time keeps the same
        // actionId, and only the attempts this action has left (a copy would otherwise start with
        // a whole new retry limit, and a receiver alternating 429 and 500 would get many times it).
        await boss.send(
          queue,
          { ...job.data, reschedules: reschedules + 1, attemptBudget: budget, attemptBase: base },
          { startAfter: new Date(Date.now() + retryAfterMs), retryLimit: budget - used - 1 },
        );
        record('rescheduled');
        return { id: job.id, status: 'completed' as const, output: { ...output, rescheduledInMs: retryAfterMs } };
      }
      record(job.retryCount >= job.retryLimit ? 'failed' : 'retrying');
      return { id: job.id, status: 'failed' as const, output };
    }
  }

  const queues: string[] = [];
  /** The queue of each executor, and the unversioned queue its version 1 had before (drained). */
  async function queuesOf(key: string): Promise<string[]> {
    const { type, version } = splitNodeKey(key);
    const legacy = version === 1 && (await jobs.exists(type)) ? [type] : [];
    return [actionQueue(type, version), ...legacy];
  }
  return {
    async start() {
      for (const [key, executor] of executors) {
        for (const queue of await queuesOf(key)) await work(queue, executor);
      }
      await boss.work<ActionJob>(DEAD_LETTER_QUEUE, { batchSize: 10, pollingIntervalSeconds: 2 }, async (batch) => {
        for (const job of batch) await fileDeadLetter(job.id, job.data);
      });
      queues.push(DEAD_LETTER_QUEUE);
    },
    async stop() {
      for (const queue of queues) await boss.offWork(queue, { wait: true }).catch(() => {});
    },
  };

  async function work(queue: string, executor: Executor) {
    queues.push(queue);
    await boss.work(
      queue,
      {
        // Up to concurrency x batchSize deliveries in flight; a full batch fetches again at once,
        // so a backlog drains without waiting out the poll interval between fetches.
        batchSize: 50,
        burstWhenBatchFull: true,
        localConcurrency: concurrency,
        includeMetadata: true,
        perJobResults: true,
        pollingIntervalSeconds: 1,
        notifyPollingIntervalSeconds: 1,
      },
      handle,
    );
    // Capacity kept for high-priority actions (decision 034): pg-boss fetches by priority, but a
    // worker busy with a batch of slow low-priority deliveries fetches again only when the batch is
    // done; this one takes nothing else, so an urgent action never waits behind a backlog.
    await boss.work(
      queue,
      {
        batchSize: 10,
        minPriority: PRIORITY.high,
        includeMetadata: true,
        perJobResults: true,
        pollingIntervalSeconds: 1,
        notifyPollingIntervalSeconds: 1,
      },
      handle,
    );

    async function handle(batch: JobWithMetadata<ActionJob>[]) {
      const log: DeliveryRecord[] = [];
      const results = await Promise.all(batch.map((job) => runOne(queue, executor, job, log)));
      // The trace's history; a failure to write it must not redeliver the batch.
      await recordDeliveries(db, log).catch((err: unknown) =>
        logger.warn({ err }, 'could not record action deliveries'),
      );
      return results;
    }
  }

  async function fileDeadLetter(jobId: string, job: ActionJob) {
    await withTenant(db, job.tenantId, async (tx) => {
      const [attempt] = await tx
        .select({ attempts: actionAttempts.attempts, lastError: actionAttempts.lastError })
        .from(actionAttempts)
        .where(and(eq(actionAttempts.tenantId, job.tenantId), eq(actionAttempts.actionId, job.actionId)));
      await tx
        .insert(deadLetters)
        .values({
          tenantId: job.tenantId,
          id: isUuid(jobId) ? jobId : randomUUID(),
          queue: queueOf(job),
          actionId: job.actionId,
          runId: job.runId,
          workflowId: job.workflowId,
          nodeId: job.nodeId,
          data: job,
          error: attempt?.lastError ?? 'expired: the job ran out of time',
          attempts: attempt?.attempts ?? 0,
        })
        .onConflictDoNothing();
    });
    metrics.deadLetters.inc({ queue: job.type });
    logger.warn(
      { tenantId: job.tenantId, runId: job.runId, actionId: job.actionId, queue: job.type },
      'action dead-lettered',
    );
  }
}

/** Error codes are ours (`webhook.timeout`); anything else is folded so the label set stays bounded. */
const failureReason = (code: string) => (/^[a-z]+\.[a-z_]{1,40}$/.test(code) ? code : 'other');

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
