import { apiKeys, eventCatalog, workflows } from '@tripwire/db';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { router, tenantProcedure } from '../init.ts';

export const onboardingRouter = router({
  /** Where a workspace is on its first steps: a key, a first event, a flow, a published flow. */
  status: tenantProcedure('viewer').query(async ({ ctx }) => {
    const [keys] = await ctx.tx
      .select({ count: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.scope, 'ingest'), isNull(apiKeys.revokedAt)));
    const [used] = await ctx.tx
      .select({ count: sql<number>`count(*)::int` })
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, ctx.tenantId), isNotNull(apiKeys.lastUsedAt)));
    const [firstEvent] = await ctx.tx
      .select({ name: eventCatalog.path, lastSeen: eventCatalog.lastSeen })
      .from(eventCatalog)
      .where(and(eq(eventCatalog.tenantId, ctx.tenantId), eq(eventCatalog.kind, 'event')))
      .orderBy(desc(eventCatalog.lastSeen))
      .limit(1);
    const [flows] = await ctx.tx
      .select({
        count: sql<number>`count(*)::int`,
        published: sql<number>`count(${workflows.activeVersion})::int`,
      })
      .from(workflows)
      .where(eq(workflows.tenantId, ctx.tenantId));
    return {
      writeKeys: keys?.count ?? 0,
      keyUsed: (used?.count ?? 0) > 0,
      latestEvent: firstEvent ?? null,
      workflows: flows?.count ?? 0,
      published: flows?.published ?? 0,
    };
  }),
});
