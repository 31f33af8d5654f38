import { runs, workflows } from '@tripwire/db';
import { workflowDocumentSchema } from '@tripwire/rules';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { router, tenantProcedure } from '../init.ts';

const id = z.uuid();

export const workflowsRouter = router({
  list: tenantProcedure('viewer').query(async ({ ctx }) => {
    const rows = await ctx.tx
      .select({
        id: workflows.id,
        name: workflows.name,
        description: workflows.description,
        activeVersion: workflows.activeVersion,
        updatedAt: workflows.updatedAt,
        draftMatchesActive: sql<
          boolean | null
        >`(select v.document = ${workflows.draft} from workflow_versions v where v.tenant_id = ${workflows.tenantId} and v.workflow_id = ${workflows.id} and v.version = ${workflows.activeVersion})`,
        runs24h: sql<number>`(select count(*)::int from ${runs} r where r.tenant_id = ${workflows.tenantId} and r.workflow_id = ${workflows.id} and r.started_at > now() - interval '24 hours')`,
      })
      .from(workflows)
      .where(eq(workflows.tenantId, ctx.tenantId))
      .orderBy(desc(workflows.updatedAt));
    return rows.map(({ draftMatchesActive, ...r }) => ({
      ...r,
      status:
        r.activeVersion === null
          ? ('draft' as const)
          : draftMatchesActive
            ? ('published' as const)
            : ('changed' as const),
    }));
  }),

  create: tenantProcedure('editor')
    .input(
      z.object({
        name: z.string().trim().min(1, 'Name the workflow').max(200),
        document: workflowDocumentSchema.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const workflowId = crypto.randomUUID();
      const draft = input.document
        ? { ...input.document, name: input.name }
        : { name: input.name, nodes: [], edges: [] };
      await ctx.tx
        .insert(workflows)
        .values({ tenantId: ctx.tenantId, id: workflowId, name: input.name, draft, createdBy: ctx.user.id });
      return { id: workflowId };
    }),

  delete: tenantProcedure('editor')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const rows = await ctx.tx
        .delete(workflows)
        .where(and(eq(workflows.tenantId, ctx.tenantId), eq(workflows.id, input.id)))
        .returning({ id: workflows.id });
      if (rows.length === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      return { ok: true };
    }),
});

export const runsRouter = router({
  recent: tenantProcedure('viewer')
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) =>
      ctx.tx
        .select({
          id: runs.id,
          workflowId: runs.workflowId,
          workflowName: workflows.name,
          version: runs.version,
          userId: runs.userId,
          status: runs.status,
          currentNode: runs.currentNode,
          startedAt: runs.startedAt,
          error: runs.error,
        })
        .from(runs)
        .innerJoin(workflows, and(eq(workflows.tenantId, runs.tenantId), eq(workflows.id, runs.workflowId)))
        .where(and(eq(runs.tenantId, ctx.tenantId), gt(runs.startedAt, sql`now() - interval '7 days'`)))
        .orderBy(desc(runs.startedAt))
        .limit(input.limit),
    ),
});
