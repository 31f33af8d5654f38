import { type Database, trackingPlans, withTenant } from '@tripwire/db';
import { eventJsonSchema, type PlanEvent, type PlanMode, TrackingPlan } from '@tripwire/rules';
import { Ajv, type ValidateFunction } from 'ajv';
import { eq } from 'drizzle-orm';
import type { ValidMessage } from './messages.ts';

/** One way an event broke the plan, written for the person reading the event debugger. */
export interface PlanViolation {
  property: string;
  /** `missing`: a required property is absent (nothing to drop). */
  kind: 'missing' | 'other';
  reason: string;
}

export interface CompiledPlan {
  mode: PlanMode;
  /** When the plan was saved: a cache refill that finds the same time keeps this compiled plan. */
  version: string;
  /** Declared event names. */
  declared: ReadonlySet<string>;
  /** The event's validator, compiled the first time such an event arrives (undefined: not declared). */
  validator(event: string): ValidateFunction | undefined;
}

export interface PlanOutcome {
  /** The messages to store (in drop mode, without their offending properties). */
  messages: ValidMessage[];
  /** Messages refused in reject mode: their index in the input, and why. */
  refused: { index: number; reason: string }[];
  /** Violations let through (flag) or repaired (drop), one line each for the debugger. */
  flagged: string[];
}

/**
 * The plan, ready for ingestion. The schemas come only from eventJsonSchema (type, enum, required,
 * additionalProperties; no patterns, formats or references), so validating one event is a walk over
 * its top-level properties: bounded by the message size limit, never a regex. Compiling is the
 * expensive part (Ajv generates code, some ms per event), so each event's schema is compiled when
 * that event first arrives, not all 500 at once; and the Ajv instance belongs to this plan, so its
 * compiled functions go with it when the plan is replaced.
 */
export function compilePlan(plan: TrackingPlan, version = ''): CompiledPlan {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const byName = new Map(plan.events.map((e: PlanEvent) => [e.name, e]));
  const compiled = new Map<string, ValidateFunction>();
  return {
    mode: plan.mode,
    version,
    declared: new Set(byName.keys()),
    validator(event) {
      const hit = compiled.get(event);
      if (hit) return hit;
      const declared = byName.get(event);
      if (!declared) return undefined;
      let fn: ValidateFunction;
      try {
        fn = ajv.compile(eventJsonSchema(declared));
      } catch {
        // The plan model only produces schemas Ajv takes; were one refused, the event goes through
        // unchecked rather than failing ingestion with a 500.
        return undefined;
      }
      compiled.set(event, fn);
      return fn;
    },
  };
}

/** A value as the reason quotes it: short, whatever was sent. */
function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The plan's verdict on one event's properties (empty: it conforms or is not in the plan). */
export function violationsOf(plan: CompiledPlan, event: string, properties: Record<string, unknown>): PlanViolation[] {
  const validate = plan.validator(event);
  if (!validate || validate(properties)) return [];
  const out: PlanViolation[] = [];
  for (const e of validate.errors ?? []) {
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const p = String(params.missingProperty);
      out.push({ property: p, kind: 'missing', reason: `“${p}” is required by the tracking plan but missing` });
    } else if (e.keyword === 'additionalProperties') {
      const p = String(params.additionalProperty);
      out.push({ property: p, kind: 'other', reason: `“${p}” is not in the tracking plan for “${event}”` });
    } else {
      // instancePath is "/<property>" (the plan's schemas are one level deep).
      const p = e.instancePath.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
      if (e.keyword === 'type')
        out.push({
          property: p,
          kind: 'other',
          reason: `“${p}” should be ${article(String(params.type))}, got ${show(properties[p])}`,
        });
      else if (e.keyword === 'enum')
        out.push({
          property: p,
          kind: 'other',
          reason: `“${p}” should be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}, got ${show(properties[p])}`,
        });
      else out.push({ property: p, kind: 'other', reason: `“${p}” does not match the tracking plan` });
    }
  }
  return out;
}

const article = (type: string) =>
  type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;

/**
 * Applies the workspace's plan to validated messages, as its mode says: `flag` stores everything
 * and reports the violations; `drop` removes offending properties (an event missing a required
 * property is still stored, flagged: there is nothing to drop); `reject` refuses the event.
 */
export function applyPlan(plan: CompiledPlan | undefined, messages: ValidMessage[]): PlanOutcome {
  if (!plan || plan.declared.size === 0) return { messages, refused: [], flagged: [] };
  const kept: ValidMessage[] = [];
  const refused: { index: number; reason: string }[] = [];
  const flagged: string[] = [];
  for (const [index, m] of messages.entries()) {
    const violations = m.type === 'track' ? violationsOf(plan, m.event, m.properties ?? {}) : [];
    if (m.type !== 'track' || violations.length === 0) {
      kept.push(m);
      continue;
    }
    const summary = `${m.event}: ${violations.map((v) => v.reason).join('; ')}`;
    if (plan.mode === 'reject') {
      refused.push({ index, reason: `rejected by the tracking plan: ${summary}` });
    } else if (plan.mode === 'drop') {
      const drop = new Set(violations.filter((v) => v.kind !== 'missing').map((v) => v.property));
      const properties = Object.fromEntries(Object.entries(m.properties ?? {}).filter(([k]) => !drop.has(k)));
      kept.push({ ...m, properties });
      flagged.push(drop.size > 0 ? `dropped ${[...drop].map((p) => `“${p}”`).join(', ')}: ${summary}` : summary);
    } else {
      kept.push(m);
      flagged.push(summary);
    }
  }
  return { messages: kept, refused, flagged };
}

/**
 * The workspace's compiled plan, cached per process for `ttlMs` so /v1/track costs no query (and
 * no compile) per request. A change saved through this process applies at once (`evict`); through
 * another, within `ttlMs`.
 */
export function createTrackingPlanCache(db: Database, ttlMs = 5_000) {
  const cache = new Map<string, { value: Promise<CompiledPlan | undefined>; until: number }>();
  return {
    get(tenantId: string): Promise<CompiledPlan | undefined> {
      const hit = cache.get(tenantId);
      if (hit && hit.until > Date.now()) return hit.value;
      const previous = hit?.value;
      const value = withTenant(db, tenantId, (tx) =>
        tx
          .select({ updatedAt: trackingPlans.updatedAt })
          .from(trackingPlans)
          .where(eq(trackingPlans.tenantId, tenantId)),
      ).then(async ([head]) => {
        if (!head) return undefined;
        // Unchanged since the last look: keep what was compiled (a refill costs one tiny query).
        const kept = await previous?.catch(() => undefined);
        if (kept && kept.version === head.updatedAt.toISOString()) return kept;
        const [row] = await withTenant(db, tenantId, (tx) =>
          tx.select().from(trackingPlans).where(eq(trackingPlans.tenantId, tenantId)),
        );
        if (!row) return undefined;
        // Saved plans were validated on the way in; one that no longer parses is not enforced.
        const parsed = TrackingPlan.safeParse({ mode: row.mode, events: row.events });
        return parsed.success ? compilePlan(parsed.data, row.updatedAt.toISOString()) : undefined;
      });
      const entry = { value, until: Date.now() + ttlMs };
      cache.set(tenantId, entry);
      if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
      value.catch(() => cache.get(tenantId) === entry && cache.delete(tenantId));
      return value;
    },
    evict(tenantId: string) {
      cache.delete(tenantId);
    },
  };
}
export type TrackingPlanCache = ReturnType<typeof createTrackingPlanCache>;
