import type { TenantTx } from '@tripwire/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { setCurrentTenant } from '../../auth/session.ts';
import {
  acceptInvitation,
  changeRole,
  createInvitation,
  findInvitation,
  listInvitations,
  listMembers,
  removeMember,
  revokeInvitation,
} from '../../services/members.ts';
import { authedProcedure, publicProcedure, router, tenantProcedure } from '../init.ts';

const role = z.enum(['owner', 'admin', 'editor', 'viewer']);
const token = z.string().min(10).max(200);

export const membersRouter = router({
  list: tenantProcedure('viewer').query(async ({ ctx }) => ({
    members: await listMembers(ctx.tx, ctx.tenantId),
    invitations: ctx.role === 'admin' || ctx.role === 'owner' ? await listInvitations(ctx.tx, ctx.tenantId) : [],
  })),

  invite: tenantProcedure('admin')
    .input(z.object({ role }))
    .mutation(async ({ ctx, input }) => {
      if (input.role === 'owner' && ctx.role !== 'owner') input.role = 'admin';
      const invitation = await createInvitation(ctx.tx, {
        tenantId: ctx.tenantId,
        role: input.role,
        createdBy: ctx.user.id,
      });
      return { ...invitation, url: new URL(`/invite/${invitation.token}`, ctx.env.PUBLIC_URL).toString() };
    }),

  revokeInvitation: tenantProcedure('admin')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      if (!(await revokeInvitation(ctx.tx, ctx.tenantId, input.id))) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'No such invitation' });
      }
      return { ok: true };
    }),

  changeRole: tenantProcedure('admin')
    .input(z.object({ userId: z.uuid(), role }))
    .mutation(async ({ ctx, input }) => {
      // Only owners make or unmake owners.
      if ((input.role === 'owner' || (await isOwner(ctx, input.userId))) && ctx.role !== 'owner') {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Only owners can change who is an owner' });
      }
      await changeRole(ctx.tx, ctx.tenantId, input.userId, input.role);
      return { ok: true };
    }),

  remove: tenantProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      if ((await isOwner(ctx, input.userId)) && ctx.role !== 'owner') {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Only owners can remove an owner' });
      }
      await removeMember(ctx.tx, ctx.tenantId, input.userId);
      return { ok: true };
    }),

  leave: tenantProcedure('viewer').mutation(async ({ ctx }) => {
    await removeMember(ctx.tx, ctx.tenantId, ctx.user.id);
    return { ok: true };
  }),

  /** What an invitation link is for, shown before accepting (no sign-in needed). */
  lookupInvitation: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const found = await findInvitation(ctx.db, input.token);
    return found ? { tenantName: found.tenantName, role: found.role, usable: found.usable } : null;
  }),

  acceptInvitation: authedProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const { tenantId } = await acceptInvitation(ctx.db, input.token, ctx.user.id);
    await setCurrentTenant(ctx.db, ctx.session.id, tenantId);
    return { tenantId };
  }),
});

async function isOwner(ctx: { tx: TenantTx; tenantId: string }, userId: string) {
  const members = await listMembers(ctx.tx, ctx.tenantId);
  return members.some((m) => m.userId === userId && m.role === 'owner');
}
