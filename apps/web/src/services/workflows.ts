import { randomUUID } from 'node:crypto';
import { type TenantTx, users, workflows, workflowVersionProblems, workflowVersions } from '@tripwire/db';
import {
  builtinRegistry,
  compileWorkflow,
  type PlanProblem,
  type Registry,
  type RuleValidationError,
  validateWorkflow,
  type WorkflowDocument,
} from '@tripwire/rules';
import { and, desc, eq, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { assertRoomForWorkflow, assertRoomToGoLive } from './workflow-quota.ts';

// Every function runs in the caller's tenant transaction (`withTenant`, or a tRPC procedure's
// `ctx.tx`), so a request holds one pooled connection: a service that opened its own transaction
// inside a procedure's would need a second one, and a batch of such calls could take the whole
// pool and wait on itself forever.

/** A published version number (a Postgres integer: larger ones could only fail in the query). */
export const versionNumber = z.number().int().min(1).max(2_147_483_647);

export type WorkflowStatus = 'draft' | 'published' | 'changed';

export interface Actor {
  userId?: string | null;
  /** Prefix of the admin API key that made the change (workflows as code). */
  apiKeyPrefix?: string | null;
}

export class PublishRejected extends Error {
  readonly errors: RuleValidationError[];
  constructor(errors: RuleValidationError[]) {
    super(`The workflow has ${errors.length} validation error(s)`);
    this.errors = errors;
  }
}

const summary = {
  id: workflows.id,
  name: workflows.name,
  description: workflows.description,
  activeVersion: workflows.activeVersion,
  latestVersion: sql<
    number | null
  >`(select max(v.version) from ${workflowVersions} v where v.tenant_id = ${workflows.tenantId} and v.workflow_id = ${workflows.id})`,
  // "changed" when the draft differs from what the engines run.
  draftMatchesActive: sql<
    boolean | null
  >`(select v.document = ${workflows.draft} from ${workflowVersions} v where v.tenant_id = ${workflows.tenantId} and v.workflow_id = ${workflows.id} and v.version = ${workflows.activeVersion})`,
  createdAt: workflows.createdAt,
  updatedAt: workflows.updatedAt,
  ...activeVersionProblems(),
};

/**
 * Why the engines refuse to run the live version (its node types or settings are unknown to the
 * running release), as they recorded it; null when it runs.
 */
export function activeVersionProblems() {
  return {
    problems: sql<
      PlanProblem[] | null
      // Qualified by hand: drizzle writes a column of the outer table unqualified inside a subquery.
    >`(select p.problems from ${workflowVersionProblems} p where p.tenant_id = "workflows"."tenant_id" and p.workflow_id = "workflows"."id" and p.version = "workflows"."active_version")`,
  };
}

type SummaryRow = { activeVersion: number | null; draftMatchesActive: boolean | null } & Record<string, unknown>;

function withStatus<T extends SummaryRow>({ draftMatchesActive, ...row }: T) {
  const status: WorkflowStatus = row.activeVersion === null ? 'draft' : draftMatchesActive ? 'published' : 'changed';
  return { ...row, status };
}

const byId = (tenantId: string, workflowId: string) =>
  and(eq(workflows.tenantId, tenantId), eq(workflows.id, workflowId));

export async function listWorkflows(tx: TenantTx, { tenantId }: { tenantId: string }) {
  const rows = await tx
    .select(summary)
    .from(workflows)
    .where(eq(workflows.tenantId, tenantId))
    .orderBy(desc(workflows.updatedAt));
  return rows.map(withStatus);
}

export async function getWorkflow(tx: TenantTx, { tenantId, workflowId }: { tenantId: string; workflowId: string }) {
  const [row] = await tx
    .select({ ...summary, draft: workflows.draft })
    .from(workflows)
    .where(byId(tenantId, workflowId));
  return row ? withStatus(row) : null;
}

export async function createWorkflow(
  tx: TenantTx,
  {
    tenantId,
    document,
    actor,
    id = randomUUID(),
  }: { tenantId: string; document: WorkflowDocument; actor: Actor; id?: string },
) {
  await assertRoomForWorkflow(tx, tenantId);
  await tx.insert(workflows).values({
    tenantId,
    id,
    name: document.name,
    description: document.description ?? null,
    draft: document,
    createdBy: actor.userId ?? null,
  });
  return id;
}

export async function updateDraft(
  tx: TenantTx,
  { tenantId, workflowId, document }: { tenantId: string; workflowId: string; document: WorkflowDocument },
) {
  const rows = await tx
    .update(workflows)
    .set({ name: document.name, description: document.description ?? null, draft: document, updatedAt: new Date() })
    .where(byId(tenantId, workflowId))
    .returning({ id: workflows.id });
  return rows.length > 0;
}

export async function deleteWorkflow(tx: TenantTx, { tenantId, workflowId }: { tenantId: string; workflowId: string }) {
  const rows = await tx.delete(workflows).where(byId(tenantId, workflowId)).returning({ id: workflows.id });
  return rows.length > 0;
}

/**
 * Validates and compiles the draft into a new immutable version and makes it the active one.
 * The row lock serialises concurrent publishes of one workflow; the trigger on active_version
 * notifies the engines when the transaction commits.
 */
export async function publishWorkflow(
  tx: TenantTx,
  {
    tenantId,
    workflowId,
    actor,
    registry = builtinRegistry,
  }: { tenantId: string; workflowId: string; actor: Actor; registry?: Registry },
) {
  const [current] = await tx
    .select({ draft: workflows.draft })
    .from(workflows)
    .where(byId(tenantId, workflowId))
    .for('update');
  if (!current) return null;
  await assertRoomToGoLive(tx, tenantId, workflowId);
  const errors = validateWorkflow(current.draft, { registry });
  if (errors.length > 0) throw new PublishRejected(errors);
  const plan = compileWorkflow(current.draft, { registry });
  const [latest] = await tx
    .select({ version: max(workflowVersions.version) })
    .from(workflowVersions)
    .where(and(eq(workflowVersions.tenantId, tenantId), eq(workflowVersions.workflowId, workflowId)));
  const version = (latest?.version ?? 0) + 1;
  await tx.insert(workflowVersions).values({
    tenantId,
    workflowId,
    version,
    document: current.draft,
    plan,
    compilerVersion: String(plan.compilerVersion),
    publishedBy: actor.userId ?? null,
    publishedByKey: actor.apiKeyPrefix ?? null,
  });
  await tx.update(workflows).set({ activeVersion: version }).where(byId(tenantId, workflowId));
  return { version };
}

export async function unpublishWorkflow(
  tx: TenantTx,
  { tenantId, workflowId }: { tenantId: string; workflowId: string },
) {
  const rows = await tx
    .update(workflows)
    .set({ activeVersion: null })
    .where(byId(tenantId, workflowId))
    .returning({ id: workflows.id });
  return rows.length > 0;
}

export async function listVersions(tx: TenantTx, { tenantId, workflowId }: { tenantId: string; workflowId: string }) {
  const [wf] = await tx
    .select({ activeVersion: workflows.activeVersion })
    .from(workflows)
    .where(byId(tenantId, workflowId));
  if (!wf) return null;
  const rows = await tx
    .select({
      version: workflowVersions.version,
      publishedAt: workflowVersions.publishedAt,
      publishedBy: workflowVersions.publishedBy,
      publishedByEmail: users.email,
      publishedByKey: workflowVersions.publishedByKey,
      compilerVersion: workflowVersions.compilerVersion,
    })
    .from(workflowVersions)
    .leftJoin(users, eq(users.id, workflowVersions.publishedBy))
    .where(and(eq(workflowVersions.tenantId, tenantId), eq(workflowVersions.workflowId, workflowId)))
    .orderBy(desc(workflowVersions.version));
  return rows.map((r) => ({ ...r, active: r.version === wf.activeVersion }));
}

/** Makes an earlier version the one the engines run, and resets the draft to it. */
export async function rollbackWorkflow(
  tx: TenantTx,
  { tenantId, workflowId, version }: { tenantId: string; workflowId: string; version: number },
) {
  const [target] = await tx
    .select({ document: workflowVersions.document })
    .from(workflowVersions)
    .where(
      and(
        eq(workflowVersions.tenantId, tenantId),
        eq(workflowVersions.workflowId, workflowId),
        eq(workflowVersions.version, version),
      ),
    );
  if (!target) return null;
  await assertRoomToGoLive(tx, tenantId, workflowId);
  const document = target.document as WorkflowDocument;
  await tx
    .update(workflows)
    .set({ activeVersion: version, draft: document, name: document.name, updatedAt: new Date() })
    .where(byId(tenantId, workflowId));
  return { version };
}
