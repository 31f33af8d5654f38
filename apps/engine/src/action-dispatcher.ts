import { createHash, randomUUID } from 'node:crypto';
import { actionAttempts, type Database, deadLetters, userConsent, withTenant } from '@tripwire/db';
import { createListener } from '@tripwire/platform';
import {
  type ActionJob,
  actionQueue,
  DEAD_LETTER_QUEUE,
  noConsentReason,
  queueOf,
  splitNodeKey,
} from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import { fromDrizzle, type JobWithMetadata } from 'pg-boss';
import type { Executor } from './actions/executors.ts';
import { EngineError } from './errors.ts';
import { createRateLimiter } from './jobs/endpoints.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import { createWake, type Wake } from './jobs/wake.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { type DeliveryRecord, recordDeliveries } from './state/action-deliveries.ts';
import { type CircuitOptions, createCircuitBreaker } from './state/circuits.ts';

export interface DispatcherOptions {
  db: Database;
  jobs: JobQueues;
  /** For LISTEN on pg-boss's job notifications. */
  connectionString: string;
  /** pg-boss's schema. */
  jobsSchema: string;
  /** By `type@version`. */
  executors: ReadonlyMap<string, Executor>;
  metrics: Metrics;
  logger: Logger;
  /** Deliveries in flight per queue in this engine. */
  inFlight: number;
  /** Requests open at once to one endpoint, across engines (pg-boss groupConcurrency). */
  endpointConcurrency: number;
  /** Requests per second to one endpoint from this engine. */
  endpointRate: number;
  circuit: CircuitOptions;
  /** The idle poll: how soon retries that came due, and room freed on other engines, are seen. */
  pollMs?: number;
}

type Settled = {
  id: string;
  status: 'completed' | 'failed' | 'deadletter';
  output: Record<string, unknown>;
  log: DeliveryRecord[];
};

/** See dispatchLoop. */
const MIN_FETCH_GAP_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The channel pg-boss notifies on for a schema (its plans.notifyChannelSql, computed here). */
export const notifyChannel = (schema: string) =>
  `pgboss_${createHash('sha224').update(schema).digest('hex').slice(0, 24)}`;

/**
 * pg-boss workers: one per action queue running its executor, and one filing dead letters.
 * Retriable failures go back to pg-boss (exponential backoff); a Retry-After longer than that is
 * honoured by rescheduling; permanent failures skip the remaining retries. Every failure is
 * recorded per action so its dead letter can say why.
 */
export function createActionDispatcher(options: DispatcherOptions) {
  const { db, jobs, executors, metrics, logger, connectionString, jobsSchema } = options;
  const { boss } = jobs;
  const inFlightLimit = options.inFlight;
  const endpointConcurrency = options.endpointConcurrency;
  const pollMs = options.pollMs ?? 500;
  const rate = createRateLimiter(options.endpointRate);
  const circuits = createCircuitBreaker(db, logger, options.circuit);

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

  async function runOne(
    queue: string,
    executor: Executor,
    job: JobWithMetadata<ActionJob>,
    log: DeliveryRecord[],
    signal: AbortSignal,
  ): Promise<Omit<Settled, 'log'>> {
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
      const { responseSnippet, ...output } = await executor(job.data, signal);
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
          {
            startAfter: new Date(Date.now() + retryAfterMs),
            retryLimit: budget - used - 1,
            // The same endpoint group and priority as the job it replaces.
            priority: job.priority,
            ...(job.groupId ? { group: { id: job.groupId, ...(job.groupTier ? { tier: job.groupTier } : {}) } } : {}),
          },
        );
        record('rescheduled');
        return { id: job.id, status: 'completed' as const, output: { ...output, rescheduledInMs: retryAfterMs } };
      }
      record(job.retryCount >= job.retryLimit ? 'failed' : 'retrying');
      return { id: job.id, status: 'failed' as const, output };
    }
  }

  const loops: Promise<void>[] = [];
  const settlers: ReturnType<typeof createSettler>[] = [];
  const inFlight = new Set<AbortController>();
  const wakes = new Map<string, Wake>();
  let stopping = false;
  let listener: ReturnType<typeof createListener> | undefined;
  let deadLetterQueue: string | undefined;

  /** The queue of each executor, and the unversioned queue its version 1 had before (drained). */
  async function queuesOf(key: string): Promise<string[]> {
    const { type, version } = splitNodeKey(key);
    const legacy = version === 1 && (await jobs.exists(type)) ? [type] : [];
    return [actionQueue(type, version), ...legacy];
  }
  return {
    async start() {
      await circuits.start();
      const started: [string, Executor][] = [];
      for (const [key, executor] of executors) {
        for (const queue of await queuesOf(key)) started.push([queue, executor]);
      }
      for (const [queue] of started) wakes.set(queue, createWake());
      // Woken by pg-boss's own NOTIFY when jobs are created (our loop is not a pg-boss worker, so it
      // listens for itself); a lost notification only costs the idle poll.
      listener = createListener({
        connectionString,
        channel: notifyChannel(jobsSchema),
        logger,
        onNotification: (queue) => wakes.get(queue)?.ring(),
        onReconnect: () => {
          for (const wake of wakes.values()) wake.ring();
        },
      });
      await listener.start().catch((err: unknown) => logger.warn({ err }, 'no job notifications: polling only'));
      for (const [queue, executor] of started) loops.push(dispatchLoop(queue, executor));
      await boss.work<ActionJob>(DEAD_LETTER_QUEUE, { batchSize: 10, pollingIntervalSeconds: 2 }, async (batch) => {
        for (const job of batch) await fileDeadLetter(job.id, job.data);
      });
      deadLetterQueue = DEAD_LETTER_QUEUE;
    },
    /** Stops fetching, lets the deliveries in flight finish (up to `drainMs`, then aborts them) and settles them. */
    async stop(drainMs = 20_000) {
      stopping = true;
      for (const wake of wakes.values()) wake.ring();
      await Promise.all(loops);
      const deadline = Date.now() + drainMs;
      while (inFlight.size > 0 && Date.now() < deadline) await sleep(50);
      // Aborted deliveries fail and are retried (by pg-boss, on this engine or another).
      for (const c of inFlight) c.abort();
      while (inFlight.size > 0) await sleep(50);
      for (const settler of settlers) await settler.flush();
      circuits.stop();
      await listener?.stop();
      if (deadLetterQueue) await boss.offWork(deadLetterQueue, { wait: true }).catch(() => {});
    },
    /** Open circuits as this engine last read them (for tests and the health report). */
    circuits,
  };

  /**
   * One queue's dispatch: fetch what fits in the free slots, start each delivery on its own, settle
   * them as they finish. No delivery waits for another (a batch handler would hold its worker until
   * its slowest request returned, so one slow endpoint would stall everyone's deliveries). Fairness
   * comes from the fetch: pg-boss leaves out the jobs of any endpoint already at its limit
   * (`groupConcurrency`, counted over active jobs in the database, so across engines) and of paused
   * endpoints (`ignoreGroups`), and orders the rest by priority, then age.
   */
  async function dispatchLoop(queue: string, executor: Executor) {
    const wake = wakes.get(queue) as Wake;
    const settler = createSettler(queue);
    settlers.push(settler);
    let running = 0;
    while (!stopping) {
      const free = inFlightLimit - running;
      if (free <= 0) {
        await wake.wait(1000);
        continue;
      }
      const wanted = Math.min(free, 100);
      let batch: JobWithMetadata<ActionJob>[] = [];
      try {
        const paused = circuits.paused();
        batch = await boss.fetch<ActionJob>(queue, {
          batchSize: wanted,
          includeMetadata: true,
          groupConcurrency: endpointConcurrency,
          ...(paused.length > 0 ? { ignoreGroups: paused } : {}),
        });
      } catch (err) {
        logger.warn({ err, queue }, 'could not fetch action jobs');
        await wake.wait(1000);
        continue;
      }
      for (const job of batch) {
        running++;
        const controller = new AbortController();
        inFlight.add(controller);
        void deliver(queue, executor, job, controller.signal)
          .then((result) => settler.add(job, result))
          .catch((err: unknown) => logger.error({ err, queue }, 'delivery crashed outside its executor'))
          .finally(() => {
            running--;
            inFlight.delete(controller);
            wake.ring();
          });
      }
      // A full fetch means more may be waiting: fetch again at once. Otherwise wait for a NOTIFY,
      // a delivery to finish (its endpoint has room again), or the poll (retries coming due).
      if (batch.length < wanted) {
        const fetchedAt = performance.now();
        await wake.wait(pollMs);
        // At most one partial fetch per MIN_FETCH_GAP_MS: with hundreds of deliveries finishing a
        // second, fetching after each would be a query per delivery for one or two jobs each.
        const gap = MIN_FETCH_GAP_MS - (performance.now() - fetchedAt);
        if (gap > 0 && !stopping) await sleep(gap);
      }
    }
  }

  /** Waits its turn at the endpoint's rate, delivers, and tells the endpoint's circuit. */
  async function deliver(queue: string, executor: Executor, job: JobWithMetadata<ActionJob>, signal: AbortSignal) {
    const group = job.groupId ?? undefined;
    if (group) await rate.take(group, signal);
    const log: DeliveryRecord[] = [];
    const result = await runOne(queue, executor, job, log, signal);
    // A delivery skipped for want of consent never reached the endpoint: nothing to tell its circuit.
    if (group && !('skipped' in (result.output ?? {}))) {
      const told =
        result.status === 'completed' && !('rescheduledInMs' in (result.output ?? {}))
          ? circuits.succeeded(group)
          : circuits.failed(group, String((result.output as { error?: unknown })?.error ?? 'failed'));
      await told.catch((err: unknown) => logger.warn({ err }, 'could not update the endpoint circuit'));
    }
    return { ...result, log };
  }

  /**
   * Settles finished deliveries a few at a time: one statement for all completed jobs, one per
   * distinct failure, and the deliveries' history in bulk, instead of round trips per job.
   */
  function createSettler(queue: string) {
    let pending: { job: JobWithMetadata<ActionJob>; result: Settled }[] = [];
    let timer: NodeJS.Timeout | undefined;
    let chain = Promise.resolve();
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      const batch = pending;
      pending = [];
      chain = chain
        .then(() => settle(queue, batch))
        .catch((err: unknown) =>
          logger.warn({ err, queue }, 'could not settle action jobs; they expire and are retried'),
        );
      return chain;
    };
    return {
      add(job: JobWithMetadata<ActionJob>, result: Settled) {
        pending.push({ job, result });
        if (pending.length >= 100) void flush();
        else timer ??= setTimeout(() => void flush(), 20);
      },
      flush,
    };
  }

  async function settle(queue: string, batch: { job: JobWithMetadata<ActionJob>; result: Settled }[]) {
    if (batch.length === 0) return;
    const attempt = (job: JobWithMetadata<ActionJob>) => ({ id: job.id, retryCount: job.retryCount });
    const byStatus = Map.groupBy(batch, (b) => b.result.status);
    const completed = byStatus.get('completed') ?? [];
    // Delivered jobs need no output (the attempt is in action_deliveries); a rescheduled one keeps
    // its `rescheduledInMs`, which the replay status reads.
    const byOutput = Map.groupBy(completed, (b) =>
      'rescheduledInMs' in (b.result.output ?? {}) ? JSON.stringify(b.result.output) : '',
    );
    for (const [output, items] of byOutput)
      await boss.complete(
        queue,
        items.map((b) => attempt(b.job)),
        output ? JSON.parse(output) : null,
      );
    for (const [output, items] of Map.groupBy(byStatus.get('failed') ?? [], (b) => JSON.stringify(b.result.output)))
      await boss.fail(
        queue,
        items.map((b) => attempt(b.job)),
        JSON.parse(output),
      );
    const dead = byStatus.get('deadletter') ?? [];
    if (dead.length > 0) {
      // pg-boss's public API has no "fail for good now": with no retries left, fail() is terminal
      // and routes the job to the queue's dead-letter queue, as a perJobResults `deadletter` does.
      await db.transaction(async (tx) => {
        await tx.execute(
          sql`update ${sql.identifier(jobsSchema)}.job set retry_limit = retry_count where name = ${queue} and id = any(${`{${dead.map((b) => b.job.id).join(',')}}`}::uuid[]) and state = 'active'`,
        );
        for (const [output, items] of Map.groupBy(dead, (b) => JSON.stringify(b.result.output)))
          await boss.fail(
            queue,
            items.map((b) => attempt(b.job)),
            JSON.parse(output),
            { db: fromDrizzle(tx, sql) },
          );
      });
    }
    // The trace's history; a failure to write it must not redeliver the jobs.
    await recordDeliveries(
      db,
      batch.flatMap((b) => b.result.log),
    ).catch((err: unknown) => logger.warn({ err }, 'could not record action deliveries'));
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
