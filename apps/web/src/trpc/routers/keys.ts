import { apiKeys } from '@tripwire/db';
import { TRPCError } from '@trpc/server';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { createApiKey } from '../../services/api-keys.ts';
import { listSecrets, revealSecret, rotateSecret } from '../../services/signing-secrets.ts';
import { router, tenantProcedure } from '../init.ts';

export const keysRouter = router({
  list: tenantProcedure('admin').query(({ ctx }) =>
    ctx.tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        scope: apiKeys.scope,
        prefix: apiKeys.prefix,
        createdAt: apiKeys.createdAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, ctx.tenantId))
      .orderBy(desc(apiKeys.createdAt)),
  ),

  create: tenantProcedure('admin')
    .input(z.object({ name: z.string().trim().min(1, 'Name the key').max(100), scope: z.enum(['ingest', 'admin']) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.tx, { tenantId: ctx.tenantId, createdBy: ctx.user.id, ...input })),

  revoke: tenantProcedure('admin')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const rows = await ctx.tx
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      if (rows.length === 0) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such active key' });
      return { ok: true };
    }),

  secrets: tenantProcedure('admin').query(({ ctx }) => listSecrets(ctx.tx, ctx.tenantId)),

  revealSecret: tenantProcedure('admin').mutation(async ({ ctx }) => {
    const secret = await revealSecret(ctx.tx, ctx.tenantId);
    if (!secret)
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'The signing secret was already shown once; rotate it to get a new one',
      });
    return { secret };
  }),

  rotateSecret: tenantProcedure('admin').mutation(({ ctx }) => rotateSecret(ctx.tx, ctx.tenantId)),
});
