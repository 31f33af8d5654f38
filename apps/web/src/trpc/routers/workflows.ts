import { runs, workflows, workflowVersions } from '@tripwire/db';
import { validateWorkflow, workflowDocumentSchema } from '@tripwire/rules';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { assertRoomForWorkflow } from '../../services/workflow-quota.ts';
import {
  activeVersionProblems,
  getWorkflow,
  listVersions,
  PublishRejected,
  publishWorkflow,
  rollbackWorkflow,
  unpublishWorkflow,
  updateDraft,
  versionNumber,
} from '../../services/workflows.ts';
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
        >`(select v.document = "workflows"."draft" from workflow_versions v where v.tenant_id = "workflows"."tenant_id" and v.workflow_id = "workflows"."id" and v.version = "workflows"."active_version")`,
        ...activeVersionProblems(),
      })
      .from(workflows)
      .where(eq(workflows.tenantId, ctx.tenantId))
      .orderBy(desc(workflows.updatedAt));
    // Counted apart: inside a correlated subquery drizzle leaves column names unqualified, and
    // "id" there meant the run's own id, so every workflow showed 0 runs.
    const counts = await ctx.tx
      .select({ workflowId: runs.workflowId, count: sql<number>`count(*)::int` })
      .from(runs)
      .where(and(eq(runs.tenantId, ctx.tenantId), gt(runs.startedAt, sql`now() - interval '24 hours'`)))
      .groupBy(runs.workflowId);
    const runs24h = new Map(counts.map((c) => [c.workflowId, c.count]));
    return rows.map(({ draftMatchesActive, ...r }) => ({
      ...r,
      runs24h: runs24h.get(r.id) ?? 0,
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
      await assertRoomForWorkflow(ctx.tx, ctx.tenantId);
      const workflowId = crypto.randomUUID();
      const draft = input.document
        ? { ...input.document, name: input.name }
        : { name: input.name, nodes: [], edges: [] };
      await ctx.tx
        .insert(workflows)
        .values({ tenantId: ctx.tenantId, id: workflowId, name: input.name, draft, createdBy: ctx.user.id });
      return { id: workflowId };
    }),

  get: tenantProcedure('viewer')
    .input(z.object({ id }))
    .query(async ({ ctx, input }) => {
      const wf = await getWorkflow(ctx.tx, { tenantId: ctx.tenantId, workflowId: input.id });
      if (!wf) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      const versions = await listVersions(ctx.tx, { tenantId: ctx.tenantId, workflowId: input.id });
      return { ...wf, versions: versions ?? [] };
    }),

  /** Autosave: drafts may be incomplete; the validation errors come back with the save. */
  saveDraft: tenantProcedure('editor')
    .input(z.object({ id, document: workflowDocumentSchema }))
    .mutation(async ({ ctx, input }) => {
      const saved = await updateDraft(ctx.tx, {
        tenantId: ctx.tenantId,
        workflowId: input.id,
        document: input.document,
      });
      if (!saved) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      return { savedAt: new Date(), errors: validateWorkflow(input.document) };
    }),

  rename: tenantProcedure('editor')
    .input(z.object({ id, name: z.string().trim().min(1, 'Name the workflow').max(200) }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.tx
        .select({ draft: workflows.draft })
        .from(workflows)
        .where(and(eq(workflows.tenantId, ctx.tenantId), eq(workflows.id, input.id)));
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      await ctx.tx
        .update(workflows)
        .set({ name: input.name, draft: { ...(row.draft as object), name: input.name }, updatedAt: new Date() })
        .where(and(eq(workflows.tenantId, ctx.tenantId), eq(workflows.id, input.id)));
      return { ok: true };
    }),

  duplicate: tenantProcedure('editor')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.tx
        .select({ name: workflows.name, draft: workflows.draft })
        .from(workflows)
        .where(and(eq(workflows.tenantId, ctx.tenantId), eq(workflows.id, input.id)));
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      await assertRoomForWorkflow(ctx.tx, ctx.tenantId);
      const copyId = crypto.randomUUID();
      const name = `${row.name} (copy)`.slice(0, 200);
      await ctx.tx.insert(workflows).values({
        tenantId: ctx.tenantId,
        id: copyId,
        name,
        draft: { ...(row.draft as object), name },
        createdBy: ctx.user.id,
      });
      return { id: copyId };
    }),

  publish: tenantProcedure('editor')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      try {
        const published = await publishWorkflow(ctx.tx, {
          tenantId: ctx.tenantId,
          workflowId: input.id,
          actor: { userId: ctx.user.id },
        });
        if (!published) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
        return published;
      } catch (error) {
        if (error instanceof PublishRejected)
          throw new TRPCError({
            code: 'BAD_REQUEST',
            message: `Fix ${error.errors.length} problem(s) before publishing`,
          });
        throw error;
      }
    }),

  unpublish: tenantProcedure('editor')
    .input(z.object({ id }))
    .mutation(async ({ ctx, input }) => {
      if (!(await unpublishWorkflow(ctx.tx, { tenantId: ctx.tenantId, workflowId: input.id }))) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      }
      return { ok: true };
    }),

  version: tenantProcedure('viewer')
    .input(z.object({ id, version: versionNumber }))
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.tx
        .select({ document: workflowVersions.document, publishedAt: workflowVersions.publishedAt })
        .from(workflowVersions)
        .where(
          and(
            eq(workflowVersions.tenantId, ctx.tenantId),
            eq(workflowVersions.workflowId, input.id),
            eq(workflowVersions.version, input.version),
          ),
        );
      if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such version' });
      return row;
    }),

  rollback: tenantProcedure('editor')
    .input(z.object({ id, version: versionNumber }))
    .mutation(async ({ ctx, input }) => {
      const done = await rollbackWorkflow(ctx.tx, {
        tenantId: ctx.tenantId,
        workflowId: input.id,
        version: input.version,
      });
      if (!done) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such version' });
      return done;
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
