import { type TenantTx, trackingPlans } from '@tripwire/db';
import {
  EMPTY_TRACKING_PLAN,
  fromJsonSchema,
  PLAN_MODES,
  type PlanMode,
  TrackingPlan,
  type TrackingPlanSchema,
  toJsonSchema,
} from '@tripwire/rules';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';

/** PUT /v1/tracking-plan: the mode, and the plan as JSON Schema (as GET exports it). */
export const TrackingPlanRequest = z.strictObject({
  mode: z.enum(PLAN_MODES, { error: `“mode” is one of ${PLAN_MODES.join(', ')}` }),
  schema: z.unknown().refine((v) => v !== undefined, '“schema” is the tracking plan as JSON Schema'),
});

export interface StoredPlan {
  plan: TrackingPlan;
  updatedAt: Date | null;
}

export async function getTrackingPlan(tx: TenantTx, tenantId: string): Promise<StoredPlan> {
  const [row] = await tx.select().from(trackingPlans).where(eq(trackingPlans.tenantId, tenantId));
  if (!row) return { plan: EMPTY_TRACKING_PLAN, updatedAt: null };
  const parsed = TrackingPlan.safeParse({ mode: row.mode, events: row.events });
  return { plan: parsed.success ? parsed.data : EMPTY_TRACKING_PLAN, updatedAt: row.updatedAt };
}

export async function setTrackingPlan(tx: TenantTx, tenantId: string, plan: TrackingPlan): Promise<StoredPlan> {
  const [row] = await tx
    .insert(trackingPlans)
    .values({ tenantId, mode: plan.mode, events: plan.events })
    .onConflictDoUpdate({
      target: trackingPlans.tenantId,
      set: { mode: plan.mode, events: plan.events, updatedAt: sql`now()` },
    })
    .returning();
  return { plan, updatedAt: row?.updatedAt ?? null };
}

export type PlanIssue = { path: string; message: string };

/** The plan a JSON Schema import describes, or every reason it cannot be taken. */
export function planFromJsonSchema(
  mode: PlanMode,
  schema: unknown,
): { ok: true; plan: TrackingPlan } | { ok: false; issues: PlanIssue[] } {
  const imported = fromJsonSchema(schema);
  if (!imported.ok) return { ok: false, issues: imported.issues.map((i) => ({ ...i, path: `schema.${i.path}` })) };
  return { ok: true, plan: { mode, events: imported.events } };
}

export function planResponse({ plan, updatedAt }: StoredPlan): {
  mode: PlanMode;
  schema: TrackingPlanSchema;
  updatedAt: string | null;
} {
  return { mode: plan.mode, schema: toJsonSchema(plan), updatedAt: updatedAt?.toISOString() ?? null };
}
