import { actionDeliveries, deadLetters, runs, type TenantTx, workflows, workflowVersions } from '@tripwire/db';
import { describeRun, nodeNames, type PathEntry, type WorkflowDocumentInput } from '@tripwire/rules';
import { and, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actionOutcomes, overall } from './run-outcomes.ts';

// The run explorer and the run trace. Every query is the caller's tenant's (RLS backs it) and
// index-backed: newest first by (tenant, started_at, id), or by user, or by workflow and status.

export const RUN_STATUSES = ['running', 'waiting', 'completed', 'failed'] as const;

export const runFilter = z.object({
  workflowId: z.uuid().optional(),
  version: z.number().int().min(1).max(2_147_483_647).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  userId: z.string().min(1).max(256).optional(),
  /** Runs that passed this node (the canvas counts link here), with workflowId. */
  nodeId: z.string().min(1).max(100).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});
export type RunFilter = z.infer<typeof runFilter>;

/** Where the previous page ended: newest first, ties broken by id. */
export const runCursor = z.object({ startedAt: z.coerce.date(), id: z.uuid() });
export type RunCursor = z.infer<typeof runCursor>;

function conditions(tenantId: string, f: RunFilter, cursor?: RunCursor): SQL[] {
  const where: SQL[] = [eq(runs.tenantId, tenantId)];
  if (f.workflowId) where.push(eq(runs.workflowId, f.workflowId));
  if (f.version) where.push(eq(runs.version, f.version));
  if (f.status) where.push(eq(runs.status, f.status));
  if (f.userId) where.push(eq(runs.userId, f.userId));
  if (f.nodeId) where.push(sql`${runs.path} @> ${JSON.stringify([{ nodeId: f.nodeId }])}::jsonb`);
  if (f.from) where.push(gte(runs.startedAt, f.from));
  if (f.to) where.push(lte(runs.startedAt, f.to));
  if (cursor) {
    const before = or(
      lt(runs.startedAt, cursor.startedAt),
      and(eq(runs.startedAt, cursor.startedAt), lt(runs.id, cursor.id)),
    ) as SQL;
    where.push(before);
  }
  return where;
}

/** The documents of the versions these runs ran on, by `workflowId@version`: node names and words. */
async function versionDocuments(tx: TenantTx, tenantId: string, rows: { workflowId: string; version: number }[]) {
  const workflowIds = [...new Set(rows.map((r) => r.workflowId))];
  if (workflowIds.length === 0) return new Map<string, WorkflowDocumentInput>();
  const versions = await tx
    .select({
      workflowId: workflowVersions.workflowId,
      version: workflowVersions.version,
      document: workflowVersions.document,
    })
    .from(workflowVersions)
    .where(and(eq(workflowVersions.tenantId, tenantId), inArray(workflowVersions.workflowId, workflowIds)));
  return new Map(versions.map((v) => [`${v.workflowId}@${v.version}`, v.document as WorkflowDocumentInput]));
}

export async function listRuns(
  tx: TenantTx,
  { tenantId, filter, cursor, limit }: { tenantId: string; filter: RunFilter; cursor?: RunCursor; limit: number },
) {
  const rows = await tx
    .select({
      id: runs.id,
      workflowId: runs.workflowId,
      workflowName: workflows.name,
      version: runs.version,
      userId: runs.userId,
      status: runs.status,
      currentNode: runs.currentNode,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      error: runs.error,
      path: runs.path,
    })
    .from(runs)
    .innerJoin(workflows, and(eq(workflows.tenantId, runs.tenantId), eq(workflows.id, runs.workflowId)))
    .where(and(...conditions(tenantId, filter, cursor)))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const docs = await versionDocuments(tx, tenantId, page);
  const outcomes = await actionOutcomes(tx, { tenantId, runs: page });
  const last = page.at(-1);
  return {
    runs: page.map(({ path, ...r }) => {
      const doc = docs.get(`${r.workflowId}@${r.version}`) ?? { name: '', nodes: [], edges: [] };
      const name = nodeNames(doc);
      const outcome = outcomes.get(r.id) ?? { outcome: 'no_actions' as const, actions: [] };
      return {
        ...r,
        currentNodeName: r.currentNode ? name(r.currentNode) : null,
        outcome: outcome.outcome,
        actions: outcome.actions.map((a) => ({ ...a, node: name(a.nodeId) })),
        story: describeRun(Array.isArray(path) ? (path as PathEntry[]) : [], doc, { error: r.error ?? undefined }),
      };
    }),
    next: rows.length > limit && last ? { startedAt: last.startedAt, id: last.id } : null,
  };
}

export interface TraceEntry extends PathEntry {
  /** An action's attempts, oldest first. */
  attempts?: {
    attempt: number;
    at: Date;
    outcome: string;
    httpStatus: number | null;
    latencyMs: number | null;
    response: string | null;
    error: string | null;
  }[];
  /** A resumed wait: when it was due, and how late the engine resumed it (ms). */
  scheduledFor?: string;
  lateMs?: number;
}

/** One run with everything its trace shows; null when it is not this tenant's. */
export async function getRunTrace(tx: TenantTx, { tenantId, runId }: { tenantId: string; runId: string }) {
  const [run] = await tx
    .select({
      id: runs.id,
      workflowId: runs.workflowId,
      workflowName: workflows.name,
      version: runs.version,
      userId: runs.userId,
      status: runs.status,
      triggerEvent: runs.triggerEvent,
      path: runs.path,
      error: runs.error,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      document: sql<unknown>`(select v.document from workflow_versions v where v.tenant_id = ${runs.tenantId} and v.workflow_id = ${runs.workflowId} and v.version = ${runs.version})`,
    })
    .from(runs)
    .innerJoin(workflows, and(eq(workflows.tenantId, runs.tenantId), eq(workflows.id, runs.workflowId)))
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
  if (!run) return null;
  const attempts = await tx
    .select()
    .from(actionDeliveries)
    .where(and(eq(actionDeliveries.tenantId, tenantId), eq(actionDeliveries.runId, runId)))
    .orderBy(actionDeliveries.actionId, actionDeliveries.attempt);
  const letters = await tx
    .select({
      id: deadLetters.id,
      nodeId: deadLetters.nodeId,
      actionId: deadLetters.actionId,
      error: deadLetters.error,
      failedAt: deadLetters.failedAt,
      replayedAt: deadLetters.replayedAt,
      discardedAt: deadLetters.discardedAt,
    })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.runId, runId)));
  const byAction = Map.groupBy(attempts, (a) => a.actionId);
  const path = run.path as PathEntry[];
  const parkedAt = new Map<string, string>();
  const entries: TraceEntry[] = path.map((p) => {
    const entry: TraceEntry = { ...p };
    const actionId = p.detail?.actionId;
    if (typeof actionId === 'string') {
      entry.attempts = (byAction.get(actionId) ?? []).map((a) => ({
        attempt: a.attempt,
        at: a.at,
        outcome: a.outcome,
        httpStatus: a.httpStatus,
        latencyMs: a.latencyMs,
        response: a.response,
        error: a.error,
      }));
    }
    if (!p.output && typeof p.detail?.until === 'string') parkedAt.set(p.nodeId, p.detail.until);
    const scheduled = parkedAt.get(p.nodeId);
    if (p.output && scheduled && p.detail?.resumedBy) {
      entry.scheduledFor = scheduled;
      entry.lateMs = Math.max(0, Date.parse(p.at) - Date.parse(scheduled));
    }
    return entry;
  });
  const { path: _path, ...rest } = run;
  const doc = (run.document as WorkflowDocumentInput | null) ?? { name: '', nodes: [], edges: [] };
  const outcome = (await actionOutcomes(tx, { tenantId, runs: [{ id: runId, path }] })).get(runId);
  return {
    ...rest,
    entries,
    story: describeRun(path, doc, { error: run.error ?? undefined }),
    deadLetters: letters,
    outcome: outcome ? overall(outcome.actions) : 'no_actions',
  };
}

export const COUNT_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type CountWindow = keyof typeof COUNT_WINDOWS;

/**
 * Runs into and out of each node and along each output of a version, over a window, from the
 * engine's counters (never a scan of runs).
 */
export async function pathCountsOf(
  tx: TenantTx,
  {
    tenantId,
    workflowId,
    version,
    window,
  }: { tenantId: string; workflowId: string; version: number; window: CountWindow },
) {
  const since = new Date(Date.now() - COUNT_WINDOWS[window]);
  const rows = await tx.execute<{ node_id: string; output: string; n: number }>(sql`
    select node_id, output, sum(count)::int as n from path_counts
    where tenant_id = ${tenantId}::uuid and workflow_id = ${workflowId}::uuid and version = ${version}
      and bucket >= ${since.toISOString()}::timestamptz - interval '5 minutes'
    group by node_id, output`);
  // Node ids are the tenant's words ("__proto__" included): maps, then plain arrays.
  const nodes = new Map<string, { nodeId: string; entered: number; left: number }>();
  const outputs: { nodeId: string; output: string; count: number }[] = [];
  for (const { node_id: nodeId, output, n } of rows.rows) {
    const node = nodes.get(nodeId) ?? { nodeId, entered: 0, left: 0 };
    nodes.set(nodeId, node);
    if (output === '') node.entered += n;
    else {
      node.left += n;
      outputs.push({ nodeId, output, count: n });
    }
  }
  return { since, nodes: [...nodes.values()], outputs };
}
