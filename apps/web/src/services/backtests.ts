import {
  backtests,
  type Database,
  type EventHistoryStore,
  type TenantTx,
  withTenant,
  workflows,
  workflowVersions,
} from '@tripwire/db';
import {
  type BacktestResult,
  backtestEventNames,
  compileWorkflow,
  createBacktest,
  type ExecutionPlan,
  type LoadedPlan,
  loadPlan,
  type RuleValidationError,
  WorkflowValidationError,
  workflowDocumentSchema,
} from '@tripwire/rules';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';

// Backtests (issue 14): "what would this draft have done over the last N days?" A row per
// backtest, a pg-boss job that replays the tenant's kept events through the draft and the live
// version (createBacktest in @tripwire/rules), progress written per page, results stored.
// Fairness: one queued or running backtest per tenant (a second is refused with a reason), each
// bounded in events, and the worker takes one job at a time, so no tenant's backtests queue
// ahead of another's indefinitely.

export const BACKTEST_QUEUE = 'backtest';
/** Events one backtest may replay (the names its versions listen to, in the range). */
export const MAX_BACKTEST_EVENTS = 5_000_000;
const PAGE = 5000;

export class BacktestRejected extends Error {
  readonly code:
    | 'not_found'
    | 'invalid_draft'
    | 'out_of_retention'
    | 'bad_range'
    | 'no_history'
    | 'busy'
    | 'too_many_events';
  readonly details?: RuleValidationError[];
  constructor(code: BacktestRejected['code'], message: string, details?: RuleValidationError[]) {
    super(message);
    this.code = code;
    if (details) this.details = details;
  }
}

export interface BacktestJob {
  tenantId: string;
  backtestId: string;
}

/** Validates and stores a backtest, and enqueues its job in the same transaction. */
export async function requestBacktest(
  tx: TenantTx,
  store: EventHistoryStore,
  boss: PgBoss,
  o: { tenantId: string; workflowId: string; from: Date; to: Date; document?: unknown; now?: Date },
): Promise<{ id: string }> {
  const now = o.now ?? new Date();
  const [wf] = await tx
    .select({ draft: workflows.draft, activeVersion: workflows.activeVersion })
    .from(workflows)
    .where(and(eq(workflows.tenantId, o.tenantId), eq(workflows.id, o.workflowId)));
  if (!wf) throw new BacktestRejected('not_found', 'No such workflow');
  const doc = o.document ?? wf.draft;
  const parsed = workflowDocumentSchema.safeParse(doc);
  if (!parsed.success) throw new BacktestRejected('invalid_draft', 'The document is not a workflow document v1');
  try {
    compileWorkflow(parsed.data);
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    throw new BacktestRejected(
      'invalid_draft',
      `The draft has ${error.errors.length} validation error(s); fix them before backtesting`,
      error.errors,
    );
  }
  if (o.to.getTime() <= o.from.getTime()) throw new BacktestRejected('bad_range', '"to" must be after "from"');
  const retention = await store.retention(tx, o.tenantId, now);
  if (o.from.getTime() < retention.from.getTime() - 60_000)
    throw new BacktestRejected(
      'out_of_retention',
      `Event history is kept for ${retention.days} days: a backtest can start at ${retention.from.toISOString()} at the earliest`,
    );
  if (!(await store.hasAny(tx, o.tenantId, { from: o.from, to: o.to })))
    throw new BacktestRejected(
      'no_history',
      'This workspace has no events in that time range, so there is nothing to backtest yet',
    );
  // One at a time per workspace: two requests at once queue here, so the second sees the first.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`tripwire.backtest:${o.tenantId}`}))`);
  const [busy] = await tx
    .select({ id: backtests.id })
    .from(backtests)
    .where(and(eq(backtests.tenantId, o.tenantId), inArray(backtests.status, ['queued', 'running'])))
    .limit(1);
  if (busy)
    throw new BacktestRejected(
      'busy',
      `Backtest ${busy.id} is still running for this workspace; wait for it or cancel it first`,
    );
  const id = crypto.randomUUID();
  await tx.insert(backtests).values({
    tenantId: o.tenantId,
    id,
    workflowId: o.workflowId,
    status: 'queued',
    from: o.from,
    to: o.to,
    document: parsed.data,
    liveVersion: wf.activeVersion,
  });
  const job: BacktestJob = { tenantId: o.tenantId, backtestId: id };
  await boss.send(BACKTEST_QUEUE, job, { db: fromDrizzle(tx, sql), retryLimit: 0, expireInSeconds: 3600 });
  return { id };
}

export async function getBacktest(tx: TenantTx, tenantId: string, id: string) {
  const [row] = await tx
    .select()
    .from(backtests)
    .where(and(eq(backtests.tenantId, tenantId), eq(backtests.id, id)));
  if (!row) return null;
  const result = row.result as BacktestResult | null;
  const total = row.eventsTotal ?? 0;
  return {
    id: row.id,
    workflowId: row.workflowId,
    status: row.status,
    progress: row.status === 'done' ? 1 : total > 0 ? Math.min(1, row.eventsDone / total) : 0,
    from: row.from.toISOString(),
    to: row.to.toISOString(),
    liveVersion: row.liveVersion,
    /** The draft it replayed (the publish dialog shows its foresight only for the same draft). */
    document: row.document,
    eventsTotal: row.eventsTotal,
    eventsDone: row.eventsDone,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    /** Per node id: runs in and out by output, for the draft and the live version. */
    counts: result ? { draft: result.draft.nodes, live: result.live?.nodes ?? null } : null,
    result,
  };
}

/** Stops a queued or running backtest; the worker notices at its next page. */
export async function cancelBacktest(tx: TenantTx, tenantId: string, id: string): Promise<boolean> {
  const rows = await tx
    .update(backtests)
    .set({ status: 'cancelled', finishedAt: new Date() })
    .where(
      and(eq(backtests.tenantId, tenantId), eq(backtests.id, id), inArray(backtests.status, ['queued', 'running'])),
    )
    .returning({ id: backtests.id });
  return rows.length > 0;
}

const setRow = (db: Database, job: BacktestJob, values: Partial<typeof backtests.$inferInsert>) =>
  withTenant(db, job.tenantId, (tx) =>
    tx
      .update(backtests)
      .set(values)
      .where(
        and(
          eq(backtests.tenantId, job.tenantId),
          eq(backtests.id, job.backtestId),
          inArray(backtests.status, ['queued', 'running']),
        ),
      )
      .returning({ id: backtests.id }),
  );

/**
 * The job: pages through the events the versions listen to (a short transaction per page, so no
 * transaction stays open), replays them, writes progress, and stores the result. Cancelling sets
 * the row's status; the next progress write finds it changed and the job stops.
 */
export async function runBacktest(db: Database, store: EventHistoryStore, job: BacktestJob): Promise<void> {
  const [row] = await withTenant(db, job.tenantId, (tx) =>
    tx
      .select()
      .from(backtests)
      .where(and(eq(backtests.tenantId, job.tenantId), eq(backtests.id, job.backtestId))),
  );
  if (row?.status !== 'queued') return;
  try {
    const draft = loadPlan(compileWorkflow(row.document));
    let live: LoadedPlan | null = null;
    if (row.liveVersion !== null) {
      const [v] = await withTenant(db, job.tenantId, (tx) =>
        tx
          .select({ plan: workflowVersions.plan })
          .from(workflowVersions)
          .where(
            and(
              eq(workflowVersions.tenantId, job.tenantId),
              eq(workflowVersions.workflowId, row.workflowId),
              eq(workflowVersions.version, row.liveVersion as number),
            ),
          ),
      );
      if (v) live = loadPlan(v.plan as ExecutionPlan);
    }
    const names = backtestEventNames(draft, live);
    const range = { from: row.from, to: row.to };
    const total = await withTenant(db, job.tenantId, (tx) => store.countByName(tx, job.tenantId, names, range));
    if (total > MAX_BACKTEST_EVENTS)
      throw new BacktestRejected(
        'too_many_events',
        `${total.toLocaleString('en-US')} events in this range (at most ${MAX_BACKTEST_EVENTS.toLocaleString('en-US')}): choose a shorter range`,
      );
    if ((await setRow(db, job, { status: 'running', eventsTotal: total })).length === 0) return;
    const bt = createBacktest(draft, live);
    let after: Parameters<EventHistoryStore['byName']>[5];
    let done = 0;
    for (;;) {
      const page = await withTenant(db, job.tenantId, (tx) =>
        store.byName(tx, job.tenantId, names, range, PAGE, after),
      );
      for (const e of page) {
        const pending = bt.event({
          name: e.event as string,
          userId: e.userId,
          properties: e.properties ?? {},
          timestamp: e.timestamp,
          messageId: e.messageId,
          at: Date.parse(e.receivedAt),
        });
        // Synchronous unless a step is asynchronous: no microtask per event.
        if (pending) await pending;
      }
      done += page.length;
      const last = page.at(-1);
      if (!last || page.length < PAGE) break;
      after = { receivedAt: last.receivedAt, userId: last.userId, messageId: last.messageId };
      if ((await setRow(db, job, { eventsDone: done })).length === 0) return; // cancelled
      // Let the process serve its requests between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await bt.finish(row.to.getTime());
    await setRow(db, job, { status: 'done', eventsDone: done, result, finishedAt: new Date() });
  } catch (error) {
    const message =
      error instanceof BacktestRejected || error instanceof WorkflowValidationError
        ? error.message
        : 'The backtest failed on our side';
    await setRow(db, job, { status: 'failed', error: message, finishedAt: new Date() });
    if (!(error instanceof BacktestRejected)) throw error;
  }
}

/** The worker: one backtest at a time per process. */
export async function startBacktestWorker(db: Database, store: EventHistoryStore, boss: PgBoss) {
  await boss.createQueue(BACKTEST_QUEUE, { retryLimit: 0, expireInSeconds: 3600 });
  return boss.work<BacktestJob>(BACKTEST_QUEUE, { batchSize: 1, localConcurrency: 1 }, async ([job]) => {
    if (job) await runBacktest(db, store, job.data);
  });
}
