import { actionSettings } from '../define-node-type.ts';
import type { LoadedNode, LoadedPlan } from './loaded-plan.ts';
import { drive, type MaybePromise, type Steps } from './maybe-async.ts';
import { redactConfig } from './redact.ts';
import { isoTime } from './time.ts';
import type {
  ActionAdmission,
  ActionRequest,
  ConsentDecision,
  RuleData,
  StatePort,
  StepOutcome,
  WaitRequest,
} from './types.ts';

/** One node a run passed: what it decided and why. */
export interface PathEntry {
  nodeId: string;
  type: string;
  at: string;
  output?: string;
  detail?: Record<string, unknown>;
}

/** Where a walk's effects go: Postgres and pg-boss in the engine, memory in test runs and replays. */
export interface WalkPort extends StatePort {
  /** Parks the branch at a wait; false when this run already waits there (two branches joined). */
  park(node: LoadedNode, wait: WaitRequest): MaybePromise<boolean>;
  /** Sends (or, in a replay, records) an action; returns its id. */
  send(node: LoadedNode, action: ActionRequest): MaybePromise<string>;
  /**
   * The user's consent for the category an action needs (`needed`: the node's own, or undefined for
   * the tenant's default); null when it needs none. Without this, every action may be sent.
   */
  consentFor?(needed: string | undefined): MaybePromise<ConsentDecision | null>;
  /**
   * The tenant's daily action quota for one more action (the engine's; test runs and replays have
   * none): send it now, hold it for a later day, or do not send it. Without this, every action is sent now.
   */
  admitAction?(): MaybePromise<ActionAdmission>;
}

/** What the trace says about an action the user did not consent to. */
export const noConsentReason = (category: string) => `no consent for ${category}`;

export interface WalkOptions {
  data: RuleData;
  now: number;
  countsUntil: number;
  port: WalkPort;
  /** Errors that are the platform's, not the node's (a failed query): they abort, not fail the run. */
  isFatal?: (error: unknown) => boolean;
}

export interface WalkResult {
  path: PathEntry[];
  /** Waits parked by this walk. */
  waits: number;
  lastNode: string | null;
  /** A node could not run: the run fails with this reason (other runs go on). */
  error?: string;
  /** Values nodes of this walk added (`lookup.<nodeId>`), for the run to keep (see StepOutcome.value). */
  lookups: Record<string, unknown>;
}

/** Per walk; plans are acyclic (validated at publish), so this only guards against a bad plan. */
export const MAX_WALK_STEPS = 1000;

/**
 * Runs nodes breadth-first from `start` until every branch ended or parked at a wait, with each
 * node's own step deciding. The same walk runs in the engine, the editor's test run and replays;
 * only the port differs.
 */
export async function walk(plan: LoadedPlan, start: readonly string[], o: WalkOptions): Promise<WalkResult> {
  return drive(walkSteps(plan, start, o));
}

/**
 * The walk as steps (maybe-async.ts): each step's outcome and each port answer is yielded, so a
 * replay whose port answers from memory runs it synchronously (yield* walkSteps(…)).
 */
export function* walkSteps(plan: LoadedPlan, start: readonly string[], o: WalkOptions): Steps<WalkResult> {
  const path: PathEntry[] = [];
  const queue = [...start];
  let waits = 0;
  let lastNode: string | null = null;
  const lookups: Record<string, unknown> = {};
  const at = isoTime(o.now);
  const ctx = { data: o.data, now: o.now, countsUntil: o.countsUntil, state: o.port };
  for (let steps = 0; queue.length > 0; steps++) {
    const id = queue.shift() as string;
    const node = plan.nodes.get(id);
    if (!node)
      return { path, waits, lastNode, lookups, error: `The run stopped at a node that does not exist (${id})` };
    if (steps >= MAX_WALK_STEPS)
      return { path, waits, lastNode, lookups, error: `The run stopped after ${steps} steps at ${id}` };
    try {
      const outcome = (yield node.def.step(node.step, ctx)) as StepOutcome;
      if (outcome.value !== undefined) {
        // Nodes after this one (in this walk and, kept with the run, after a wait) read it.
        Object.defineProperty(lookups, id, {
          value: outcome.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ctx.data = { ...ctx.data, lookup: { ...ctx.data.lookup, ...lookups } };
      }
      let detail = { ...outcome.detail };
      let output = outcome.output;
      if (outcome.wait) {
        if (yield o.port.park(node, outcome.wait)) waits++;
        else detail.joined = true;
        output = undefined;
      }
      if (outcome.action) {
        const consent = o.port.consentFor
          ? ((yield o.port.consentFor(actionSettings(node.step.config).consent)) as ConsentDecision | null)
          : null;
        if (consent && !consent.granted) {
          // Not sent, and the run goes on as after an onlyIf that is false: later actions may need
          // other consent (or none).
          detail = { skipped: 'consent', consent: consent.category, reason: noConsentReason(consent.category) };
        } else {
          const admission = o.port.admitAction ? ((yield o.port.admitAction()) as ActionAdmission) : undefined;
          if (admission && !admission.send) {
            // Like a missing consent: this action is not sent, the run goes on.
            detail = { skipped: 'quota', reason: admission.reason };
          } else {
            const action: ActionRequest = {
              ...outcome.action,
              ...(consent ? { consent: consent.category } : {}),
              ...(admission?.heldUntil !== undefined ? { startAfter: admission.heldUntil } : {}),
            };
            detail.actionId = (yield o.port.send(node, action)) as string;
            if (consent) detail.consent = consent.category;
            if (admission?.heldUntil !== undefined) {
              detail.heldUntil = new Date(admission.heldUntil).toISOString();
              detail.held = admission.reason;
            }
          }
        }
      }
      if (detail.rendered && typeof detail.rendered === 'object') {
        detail.rendered = redactConfig(node.def, detail.rendered as Record<string, unknown>);
      }
      path.push(
        output
          ? { nodeId: id, type: node.def.type, at, output, detail }
          : { nodeId: id, type: node.def.type, at, detail },
      );
      lastNode = id;
      if (output) queue.push(...(Object.hasOwn(node.plan.next, output) ? (node.plan.next[output] ?? []) : []));
    } catch (error) {
      if (o.isFatal?.(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      path.push({ nodeId: id, type: node.def.type, at, detail: { error: message } });
      return { path, waits, lastNode: id, lookups, error: message };
    }
  }
  return { path, waits, lastNode, lookups };
}
