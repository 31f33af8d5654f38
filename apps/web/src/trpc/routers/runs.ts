import { runs, workflows, workflowVersions } from '@tripwire/db';
import { describeRun, nodeNames, type WorkflowDocumentInput } from '@tripwire/rules';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { actionOutcomes } from '../../services/run-outcomes.ts';
import { router, tenantProcedure } from '../init.ts';

export const runsRouter = router({
  /**
   * Recent runs with what their actions did (delivered / retrying / failed), the node they are at
   * by name, and their steps in words.
   */
  recent: tenantProcedure('viewer')
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.tx
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
        .where(and(eq(runs.tenantId, ctx.tenantId), gt(runs.startedAt, sql`now() - interval '7 days'`)))
        .orderBy(desc(runs.startedAt))
        .limit(input.limit);
      const workflowIds = [...new Set(rows.map((r) => r.workflowId))];
      const versions =
        workflowIds.length === 0
          ? []
          : await ctx.tx
              .select({
                workflowId: workflowVersions.workflowId,
                version: workflowVersions.version,
                document: workflowVersions.document,
              })
              .from(workflowVersions)
              .where(
                and(eq(workflowVersions.tenantId, ctx.tenantId), inArray(workflowVersions.workflowId, workflowIds)),
              );
      const docs = new Map(versions.map((v) => [`${v.workflowId}@${v.version}`, v.document as WorkflowDocumentInput]));
      const outcomes = await actionOutcomes(ctx.tx, { tenantId: ctx.tenantId, runs: rows });
      return rows.map(({ path, ...r }) => {
        const doc = docs.get(`${r.workflowId}@${r.version}`) ?? { name: '', nodes: [], edges: [] };
        const name = nodeNames(doc);
        const outcome = outcomes.get(r.id) ?? { outcome: 'no_actions' as const, actions: [] };
        const steps = Array.isArray(path) ? path : [];
        return {
          ...r,
          currentNodeName: r.currentNode ? name(r.currentNode) : null,
          outcome: outcome.outcome,
          actions: outcome.actions.map((a) => ({ ...a, node: name(a.nodeId) })),
          story: describeRun(steps, doc, { error: r.error ?? undefined }),
        };
      });
    }),
});
