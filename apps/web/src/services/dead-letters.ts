import { deadLetters, type TenantTx, workflows } from '@tripwire/db';
import { actionOfQueue, builtinRegistry } from '@tripwire/rules';
import { and, desc, eq, ilike, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { auditOf } from './audit-log.ts';
import { DEFAULT_ACTION_SECRET_PATHS, redactSecrets, type SecretPath } from './redact-secrets.ts';
import { type ReplayState, replayStates } from './replay-status.ts';

export type DeadLetterState = 'open' | 'replayed' | 'discarded';

export interface DeadLetterFilter {
  workflowId?: string;
  /** The action type's queue, e.g. action.webhook. */
  queue?: string;
  /** Text the error contains (case-insensitive). */
  error?: string;
  state?: DeadLetterState | 'all';
}

export interface DeadLetterQuery extends DeadLetterFilter {
  limit: number;
  /** Cursor: letters that failed before this time. */
  before?: Date;
}

/** Which parts of an action's payload are secret, by the queue it was on. */
export type SecretPathsOf = (queue: string) => readonly SecretPath[];

/**
 * The secret fields the action's node definition declares (a map such as headers keeps its names);
 * an action this release does not know keeps the conservative default (webhook header values).
 */
export const definedSecretPaths: SecretPathsOf = (queue) => {
  const { type, version } = actionOfQueue(queue);
  const def = builtinRegistry.get(type, version);
  if (!def) return DEFAULT_ACTION_SECRET_PATHS;
  return def.secrets.map((key: string) =>
    def.fields.find((f: { key: string; widget: string }) => f.key === key)?.widget === 'key-value'
      ? ['config', key, '*']
      : ['config', key],
  );
};

const stateOf = (r: { replayedAt: Date | null; discardedAt: Date | null }): DeadLetterState =>
  r.discardedAt ? 'discarded' : r.replayedAt ? 'replayed' : 'open';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function where(tenantId: string, q: DeadLetterFilter & { before?: Date }) {
  return and(
    eq(deadLetters.tenantId, tenantId),
    q.workflowId ? eq(deadLetters.workflowId, q.workflowId) : undefined,
    q.queue ? eq(deadLetters.queue, q.queue) : undefined,
    q.error ? ilike(deadLetters.error, `%${escapeLike(q.error)}%`) : undefined,
    q.state === 'open' ? and(isNull(deadLetters.replayedAt), isNull(deadLetters.discardedAt)) : undefined,
    q.state === 'replayed' ? isNotNull(deadLetters.replayedAt) : undefined,
    q.state === 'discarded' ? isNotNull(deadLetters.discardedAt) : undefined,
    q.before ? lt(deadLetters.failedAt, q.before) : undefined,
  );
}

const columns = {
  id: deadLetters.id,
  queue: deadLetters.queue,
  actionId: deadLetters.actionId,
  runId: deadLetters.runId,
  workflowId: deadLetters.workflowId,
  workflowName: workflows.name,
  nodeId: deadLetters.nodeId,
  error: deadLetters.error,
  attempts: deadLetters.attempts,
  failedAt: deadLetters.failedAt,
  replayedAt: deadLetters.replayedAt,
  replayJobId: deadLetters.replayJobId,
  discardedAt: deadLetters.discardedAt,
};

/**
 * Newest first, with who last acted on each and what became of its replay. Payloads (redacted)
 * only when asked for: the API lists them, the page opens one at a time.
 */
export async function listDeadLetters(
  tx: TenantTx,
  jobsSchema: string,
  tenantId: string,
  query: DeadLetterQuery & { payloads?: SecretPathsOf },
) {
  const rows = await tx
    .select({ ...columns, data: query.payloads ? deadLetters.data : sql<null>`null` })
    .from(deadLetters)
    .leftJoin(workflows, and(eq(workflows.tenantId, deadLetters.tenantId), eq(workflows.id, deadLetters.workflowId)))
    .where(where(tenantId, query))
    .orderBy(desc(deadLetters.failedAt))
    .limit(query.limit);
  const ids = rows.map((r) => r.id);
  const [trail, replays] = await Promise.all([
    auditOf(tx, tenantId, 'dead_letter', ids),
    replayStates(
      tx,
      jobsSchema,
      rows.flatMap((r) => (r.replayJobId ? [{ queue: r.queue, jobId: r.replayJobId }] : [])),
    ),
  ]);
  const latest = new Map<string, (typeof trail)[number]>();
  for (const entry of trail) if (!latest.has(entry.subjectId)) latest.set(entry.subjectId, entry);
  const { payloads } = query;
  return rows.map(({ data, ...r }) => ({
    ...r,
    ...(payloads ? { data: redactSecrets(data, payloads(r.queue)) } : {}),
    state: stateOf(r),
    lastAction: latest.get(r.id) ?? null,
    replayState: (r.replayJobId ? (replays.get(r.replayJobId) ?? 'unknown') : null) as ReplayState | null,
  }));
}

/** One letter with its payload (secrets redacted) and its whole audit trail. */
export async function getDeadLetter(
  tx: TenantTx,
  jobsSchema: string,
  { tenantId, id, secretPaths = definedSecretPaths }: { tenantId: string; id: string; secretPaths?: SecretPathsOf },
) {
  const [row] = await tx
    .select({ ...columns, data: deadLetters.data })
    .from(deadLetters)
    .leftJoin(workflows, and(eq(workflows.tenantId, deadLetters.tenantId), eq(workflows.id, deadLetters.workflowId)))
    .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)));
  if (!row) return null;
  const [trail, replays] = await Promise.all([
    auditOf(tx, tenantId, 'dead_letter', [id]),
    replayStates(tx, jobsSchema, row.replayJobId ? [{ queue: row.queue, jobId: row.replayJobId }] : []),
  ]);
  return {
    ...row,
    data: redactSecrets(row.data, secretPaths(row.queue)),
    state: stateOf(row),
    trail,
    replayState: row.replayJobId ? (replays.get(row.replayJobId) ?? 'unknown') : null,
  };
}

/** The workflows and action types that have dead letters, for the filters. */
export async function deadLetterFacets(tx: TenantTx, tenantId: string) {
  const rows = await tx
    .selectDistinct({ workflowId: deadLetters.workflowId, workflowName: workflows.name, queue: deadLetters.queue })
    .from(deadLetters)
    .leftJoin(workflows, and(eq(workflows.tenantId, deadLetters.tenantId), eq(workflows.id, deadLetters.workflowId)))
    .where(eq(deadLetters.tenantId, tenantId))
    .limit(500);
  const wf = new Map<string, string>();
  for (const r of rows) if (r.workflowId) wf.set(r.workflowId, r.workflowName ?? 'Deleted workflow');
  return {
    workflows: [...wf].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    queues: [...new Set(rows.map((r) => r.queue))].sort(),
    open: await countOpen(tx, tenantId),
  };
}

async function countOpen(tx: TenantTx, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(deadLetters)
    .where(where(tenantId, { state: 'open' }));
  return row?.n ?? 0;
}
