import { eventCatalog, runs } from '@tripwire/db';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { router, tenantProcedure } from '../init.ts';

export const catalogRouter = router({
  /** What this tenant has sent: events (with a sample each), property paths, traits. */
  suggestions: tenantProcedure('viewer').query(async ({ ctx }) => {
    const rows = await ctx.tx
      .select({
        kind: eventCatalog.kind,
        eventName: eventCatalog.eventName,
        path: eventCatalog.path,
        sample: eventCatalog.sample,
        lastSeen: eventCatalog.lastSeen,
      })
      .from(eventCatalog)
      .where(eq(eventCatalog.tenantId, ctx.tenantId))
      .orderBy(desc(eventCatalog.lastSeen))
      .limit(2000);
    return {
      events: rows
        .filter((r) => r.kind === 'event')
        .map((r) => ({ name: r.path, sample: r.sample as Record<string, unknown> | null, lastSeen: r.lastSeen })),
      properties: rows.filter((r) => r.kind === 'property').map((r) => ({ event: r.eventName, path: r.path })),
      traits: rows.filter((r) => r.kind === 'trait').map((r) => r.path),
    };
  }),

  /**
   * Recent events one by one, for the test run's "pick an event": the events that started runs
   * (every one is kept with its run) and the latest sample of each event name.
   */
  recentEvents: tenantProcedure('viewer')
    .input(z.object({ event: z.string().max(200).optional() }).default({}))
    .query(async ({ ctx, input }) => {
      const fromRuns = await ctx.tx
        .select({ event: runs.triggerEvent, startedAt: runs.startedAt })
        .from(runs)
        .where(
          and(
            eq(runs.tenantId, ctx.tenantId),
            gt(runs.startedAt, sql`now() - interval '7 days'`),
            input.event ? sql`${runs.triggerEvent}->>'name' = ${input.event}` : undefined,
          ),
        )
        .orderBy(desc(runs.startedAt))
        .limit(50);
      const samples = await ctx.tx
        .select({ sample: eventCatalog.sample, lastSeen: eventCatalog.lastSeen })
        .from(eventCatalog)
        .where(
          and(
            eq(eventCatalog.tenantId, ctx.tenantId),
            eq(eventCatalog.kind, 'event'),
            input.event ? eq(eventCatalog.path, input.event) : undefined,
          ),
        )
        .orderBy(desc(eventCatalog.lastSeen))
        .limit(20);
      const seen = new Set<string>();
      const events: { key: string; event: Record<string, unknown>; at: Date }[] = [];
      for (const row of [
        ...fromRuns.map((r) => ({ event: r.event, at: r.startedAt })),
        ...samples.map((s) => ({ event: s.sample, at: s.lastSeen })),
      ]) {
        const event = row.event as Record<string, unknown> | null;
        if (!event || typeof event !== 'object') continue;
        const key = String(event.messageId ?? JSON.stringify(event));
        if (seen.has(key)) continue;
        seen.add(key);
        events.push({ key, event, at: row.at });
      }
      return events.slice(0, 50);
    }),
});
