// "Why didn't this user trigger?" (issue 14): one user's kept events replayed, in arrival order,
// through the version of one workflow that was live at each event's time, on the shared replay
// (the same plans, steps and walk as the engine), and told event by event. Pure: the web app loads
// the events, versions and activations and compares the runs with the ones the engine recorded.
import { routeEvent } from '../compiler/plan.ts';
import { describeLogic } from '../conditions/describe-logic.ts';
import { createReplay, type EventRecord, type ReplayEvent, type ReplayRun } from '../replay/replay.ts';
import type { LoadedPlan } from '../runtime/loaded-plan.ts';
import type { RunStatus } from '../runtime/run-status.ts';
import type { PathEntry } from '../runtime/walk.ts';
import { describeValue } from './describe-run.ts';

export interface ExplainVersion {
  version: number;
  plan: LoadedPlan;
  /** Node names for the words (id when missing). */
  names?: (nodeId: string) => string;
}

/** From `at` (ms) on, `version` was live (null: the workflow was unpublished). Oldest first. */
export interface Activation {
  version: number | null;
  at: number;
}

export type Reason =
  | { code: 'duplicate' }
  | { code: 'unpublished' }
  | { code: 'no_trigger'; listensTo: string[] }
  | { code: 'filtered'; read: Record<string, unknown>; filter?: string; error?: string }
  | { code: 'started'; runId: string }
  | { code: 'frequency_limited'; runId: string; nodeId: string; passes: number; max: number; until?: string }
  | { code: 'resumed'; runId: string; nodeId: string }
  | { code: 'wait_not_matched'; runId: string; nodeId: string; read: Record<string, unknown> }
  | { code: 'counted'; nodeId: string };

/** A run the user was in when an event arrived. */
export interface InRun {
  runId: string;
  version: number;
  startedAt: string;
  /** Parked at a wait.event for `event` until `until`; absent for a delay. */
  waiting?: { nodeId: string; event: string; until: string };
}

export interface ExplainedEvent {
  messageId: string;
  name: string;
  at: string;
  /** The version live when it arrived (null: unpublished). */
  version: number | null;
  reasons: Reason[];
  /** The reasons in words, one line each. */
  lines: string[];
  /** Runs already under way when it arrived. */
  inRuns: InRun[];
}

export interface ExplainedRun {
  /** The replay's id for it (run-N). */
  id: string;
  version: number;
  triggerMessageId: string;
  startedAt: string;
  status: RunStatus;
  path: PathEntry[];
  actions: number;
  error?: string;
}

export interface UserExplanation {
  events: ExplainedEvent[];
  runs: ExplainedRun[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The version live at `at`, by the activations (oldest first); null before the first one. */
export function liveVersionAt(activations: readonly Activation[], at: number): number | null {
  let live: number | null = null;
  for (const a of activations) {
    if (a.at > at) break;
    live = a.version;
  }
  return live;
}

function readText(read: Record<string, unknown>): string {
  const parts = Object.entries(read).map(([k, v]) => `${k} = ${describeValue(v)}`);
  return parts.length > 0 ? parts.join(', ') : 'no values';
}

function words(r: Reason, e: { name: string }, v: ExplainVersion | undefined): string {
  const name = (id: string) => v?.names?.(id) ?? id;
  switch (r.code) {
    case 'duplicate':
      return 'Skipped: an event with the same message id was already processed (a duplicate).';
    case 'unpublished':
      return 'The workflow was not published when this event arrived.';
    case 'no_trigger':
      return `"${e.name}" does not match any trigger (the trigger listens to ${r.listensTo.map((n) => `"${n}"`).join(', ') || 'no event'}).`;
    case 'filtered':
      return r.error
        ? `The trigger's filter could not be evaluated (${r.error}), so it did not match.`
        : `The trigger's filter${r.filter ? ` (${r.filter})` : ''} was false: it read ${readText(r.read)}.`;
    case 'started':
      return `Started ${r.runId}.`;
    case 'frequency_limited':
      return `Started ${r.runId}, but ${name(r.nodeId)} stopped it: ${r.passes} of ${r.max} allowed already passed${r.until ? `, until ${r.until}` : ''}.`;
    case 'resumed':
      return `Resumed ${r.runId} waiting at ${name(r.nodeId)}.`;
    case 'wait_not_matched':
      return `${r.runId} waits at ${name(r.nodeId)} for this event, but its match was false: it read ${readText(r.read)}.`;
    case 'counted':
      return `Counted by ${name(r.nodeId)}.`;
  }
}

/**
 * Replays `events` (one user's, in arrival order, `at` = when ingestion received each) through
 * the versions live at their times. Runs that started keep their version; counters are shared by
 * all versions; waits resolve in simulated time, and every wait due by `until` fires.
 */
export async function explainUser(input: {
  workflowId: string;
  versions: readonly ExplainVersion[];
  activations: readonly Activation[];
  events: readonly ReplayEvent[];
  traits?: Record<string, unknown>;
  /** Fire the waits due up to here (ms) once the events are in (default: the last event). */
  until?: number;
}): Promise<UserExplanation> {
  const byVersion = new Map(input.versions.map((v) => [v.version, v]));
  const key = (version: number) => `${input.workflowId}@${version}`;
  const workflows = input.versions.map((v) => ({
    workflowId: key(v.version),
    version: v.version,
    plan: v.plan,
    marksOf: input.workflowId,
  }));
  const versionOf = new Map(workflows.map((w) => [w.workflowId, w.version]));
  let records: EventRecord[] = [];
  const replay = createReplay({
    workflows,
    traits: () => input.traits ?? {},
    liveAt: (w, at) => liveVersionAt(input.activations, at) === w.version,
    onRecord: (r) => records.push(r),
  });
  const runVersion = (run: ReplayRun) => versionOf.get(run.workflowId) ?? 0;
  // The trigger's filter in words, once per version (every filtered event names it).
  const filters = new Map<ExplainVersion, string | undefined>();
  const filterWords = (v: ExplainVersion) => {
    if (!filters.has(v)) {
      const logic = v.plan.plan.nodes[v.plan.trigger.id]?.config.filter;
      filters.set(v, logic ? describeLogic(logic) : undefined);
    }
    return filters.get(v);
  };
  const explained: ExplainedEvent[] = [];
  for (const e of input.events) {
    const at = e.at ?? Date.parse(e.timestamp);
    await replay.advanceTo(at);
    const inRuns: InRun[] = [...replay.openRuns()].map((r) => {
      const wait = replay.waitsOf(r)[0];
      return {
        runId: r.id,
        version: runVersion(r),
        startedAt: iso(r.startedAt),
        ...(wait ? { waiting: { nodeId: wait.nodeId, event: wait.event, until: iso(wait.until) } } : {}),
      };
    });
    records = [];
    await replay.event(e);
    const live = liveVersionAt(input.activations, at);
    const v = live === null ? undefined : byVersion.get(live);
    const reasons: Reason[] = [];
    const mine = records.filter((r) => r.messageId === e.messageId);
    if (mine.some((r) => r.outcome.kind === 'duplicate')) reasons.push({ code: 'duplicate' });
    else {
      if (live === null || !v) reasons.push({ code: 'unpublished' });
      else if (!routeEvent(v.plan.plan, e.name)?.triggers.length) {
        // The live version's trigger does not listen to this name (it may still count or await it).
        reasons.push({
          code: 'no_trigger',
          listensTo: [String(v.plan.trigger.step.config.event ?? '')].filter(Boolean),
        });
      }
      for (const r of mine) {
        const o = r.outcome;
        if (r.workflowId !== key(live ?? -1) && o.kind !== 'resumed' && o.kind !== 'not_matched') continue;
        if (o.kind === 'filtered') {
          const filter = v ? filterWords(v) : undefined;
          reasons.push({
            code: 'filtered',
            read: o.read,
            ...(filter ? { filter } : {}),
            ...(o.error ? { error: o.error } : {}),
          });
        } else if (o.kind === 'started') {
          const run = replay.run(o.runId);
          const limited = run?.path.find((p) => p.output === 'limited' && p.type === 'limit.frequency');
          if (run && limited) {
            const d = limited.detail ?? {};
            reasons.push({
              code: 'frequency_limited',
              runId: o.runId,
              nodeId: limited.nodeId,
              passes: Number(d.passes),
              max: Number(d.max),
              ...(typeof d.until === 'string' ? { until: d.until } : {}),
            });
          } else reasons.push({ code: 'started', runId: o.runId });
        } else if (o.kind === 'resumed') reasons.push({ code: 'resumed', runId: o.runId, nodeId: o.nodeId });
        else if (o.kind === 'not_matched')
          reasons.push({ code: 'wait_not_matched', runId: o.runId, nodeId: o.nodeId, read: o.read });
        else if (o.kind === 'counted') reasons.push({ code: 'counted', nodeId: o.nodeId });
      }
    }
    // An event that started nothing but was taken by a wait or a counter is not "no trigger".
    const useful = reasons.some((r) => r.code === 'resumed' || r.code === 'counted' || r.code === 'wait_not_matched');
    const kept = useful ? reasons.filter((r) => r.code !== 'no_trigger') : reasons;
    explained.push({
      messageId: e.messageId,
      name: e.name,
      at: iso(at),
      version: live,
      reasons: kept,
      lines: kept.map((r) => words(r, e, v)),
      inRuns,
    });
  }
  const last = input.events.at(-1);
  const end = input.until ?? (last ? (last.at ?? Date.parse(last.timestamp)) : 0);
  await replay.advanceTo(end);
  const runs: ExplainedRun[] = replay.runs.map((r) => ({
    id: r.id,
    version: runVersion(r),
    triggerMessageId: r.trigger.messageId,
    startedAt: iso(r.startedAt),
    status: r.status,
    path: r.path,
    actions: r.actions.length,
    ...(r.error ? { error: r.error } : {}),
  }));
  return { events: explained, runs };
}
