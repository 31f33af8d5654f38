import { tenants } from '@tripwire/db';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { setCurrentTenant } from '../../auth/session.ts';
import { getConsentSettings } from '../../services/consent.ts';
import { createTenant } from '../../services/tenants.ts';
import { authedProcedure, router, tenantProcedure } from '../init.ts';
import { myTenants, roleIn } from '../tenant-access.ts';

export const tenantsRouter = router({
  list: authedProcedure.query(({ ctx }) => myTenants(ctx.db, ctx.user.id)),

  switch: authedProcedure.input(z.object({ tenantId: z.uuid() })).mutation(async ({ ctx, input }) => {
    if (!(await roleIn(ctx.db, ctx.user.id, input.tenantId))) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of this workspace' });
    }
    await setCurrentTenant(ctx.db, ctx.session.id, input.tenantId);
    return { tenantId: input.tenantId };
  }),

  create: authedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'Name your workspace').max(100) }))
    .mutation(async ({ ctx, input }) => {
      const { tenantId } = await createTenant(ctx.db, { name: input.name, ownerUserId: ctx.user.id });
      await setCurrentTenant(ctx.db, ctx.session.id, tenantId);
      return { tenantId };
    }),

  /** The workspace's consent categories and default, for the editor (the action form, test runs). */
  consentSettings: tenantProcedure('viewer').query(({ ctx }) => getConsentSettings(ctx.tx, ctx.tenantId)),

  rename: tenantProcedure('admin')
    .input(z.object({ name: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.tx.update(tenants).set({ name: input.name }).where(eq(tenants.id, ctx.tenantId));
      return { ok: true };
    }),

  /** Owners only: removes the workspace and everything in it. */
  delete: tenantProcedure('owner')
    .input(z.object({ confirmName: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const [row] = await ctx.tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, ctx.tenantId));
      if (row?.name !== input.confirmName)
        throw new TRPCError({ code: 'BAD_REQUEST', message: 'Type the workspace name to confirm' });
      await ctx.tx.delete(tenants).where(eq(tenants.id, ctx.tenantId));
      return { ok: true };
    }),
});
