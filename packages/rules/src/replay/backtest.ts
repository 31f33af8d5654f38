// Backtesting a draft (issue 14): the draft and the live version, each replayed alone over the
// same history with a virtual clock (waits resolve in simulated time, wait.event sees later events,
// counters and caps are built from the replayed events) and nothing sent. Counted the way the
// engine counts its canvas (countPath per walk), so "live" here is what the engine did when the
// same events ran live, and "draft" is what the draft would have done.
import type { LoadedPlan } from '../runtime/loaded-plan.ts';
import { andThen, type MaybePromise } from '../runtime/maybe-async.ts';
import { ENTERED, eachPathCount } from '../runtime/path-counts.ts';
import { createReplay, type ReplayEvent, type ReplayRun } from './replay.ts';

export const BACKTEST_SIDES = ['draft', 'live'] as const;
export type BacktestSide = (typeof BACKTEST_SIDES)[number];

/** Runs into a node (`entered`) and out of it by each output (every edge from that output). */
export interface NodeCounts {
  entered: number;
  outputs: Record<string, number>;
}

export const OUTCOMES = ['entered', 'acted', 'completed', 'waiting', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SideResult {
  runs: number;
  usersEntered: number;
  actions: number;
  /** Keyed by node id. */
  nodes: Record<string, NodeCounts>;
  /** Actions that would have fired per UTC day (YYYY-MM-DD). */
  actionsPerDay: Record<string, number>;
  /** A few users per outcome, to open their explanation. */
  samples: Record<Outcome, string[]>;
}

export interface BacktestResult {
  events: number;
  draft: SideResult;
  live: SideResult | null;
  /** draft - live per node, entered and each output (live missing: the draft's own counts). */
  difference: Record<string, NodeCounts>;
  /** Users who enter with the draft but not live, and the other way round (a few of each). */
  onlyDraft: string[];
  onlyLive: string[];
  /** What the replay could not do as the engine would (look-ups are not called), in words. */
  notes?: string[];
}

const SAMPLES = 5;
const DAY = 86_400_000;

function sideCounter(plan: LoadedPlan) {
  const nodes: Record<string, NodeCounts> = {};
  for (const id of plan.nodes.keys()) nodes[id] = { entered: 0, outputs: {} };
  const users = new Set<string>();
  const actionsPerDay: Record<string, number> = {};
  const days = new Map<number, string>();
  const dayOf = (at: number) => {
    const n = Math.floor(at / DAY);
    let day = days.get(n);
    if (day === undefined) {
      day = new Date(n * DAY).toISOString().slice(0, 10);
      days.set(n, day);
    }
    return day;
  };
  const samples = Object.fromEntries(OUTCOMES.map((o) => [o, [] as string[]])) as Record<Outcome, string[]>;
  let runs = 0;
  let actions = 0;
  const sample = (o: Outcome, userId: string) => {
    const list = samples[o];
    if (list.length < SAMPLES && !list.includes(userId)) list.push(userId);
  };
  // Counted per walk as the engine counts its canvas (eachPathCount is countPath's definition).
  const count = (nodeId: string, output: string) => {
    let n = nodes[nodeId];
    if (!n) {
      n = { entered: 0, outputs: {} };
      nodes[nodeId] = n;
    }
    if (output === ENTERED) n.entered++;
    else n.outputs[output] = (n.outputs[output] ?? 0) + 1;
  };
  const replay = createReplay({
    workflows: [{ workflowId: 'w', version: 0, plan }],
    // Only counts are kept: a run's steps are not (millions of runs would hold them all).
    keepPaths: false,
    // The backtest skips duplicates once for both sides (createBacktest).
    dedupe: false,
    onWalk(run, path, resumed) {
      if (!resumed) {
        runs++;
        users.add(run.userId);
        sample('entered', run.userId);
      }
      eachPathCount(path, resumed, count);
    },
  });
  let seen = 0;
  const settle = (r: ReplayRun) => {
    for (const a of r.actions) {
      const day = dayOf(a.at);
      actionsPerDay[day] = (actionsPerDay[day] ?? 0) + 1;
    }
    actions += r.actions.length;
    if (r.actions.length > 0) sample('acted', r.userId);
    sample(r.status === 'failed' ? 'failed' : r.status === 'completed' ? 'completed' : 'waiting', r.userId);
  };
  return {
    replay,
    users,
    /** Counts finished runs and lets them go. */
    collect() {
      for (const r of replay.dropFinished()) settle(r);
      seen = 0;
    },
    tick() {
      if (++seen >= 5000) this.collect();
    },
    result(): SideResult {
      this.collect();
      for (const r of replay.runs) settle(r);
      return { runs, usersEntered: users.size, actions, nodes, actionsPerDay, samples };
    },
  };
}

function difference(draft: SideResult, live: SideResult | null): Record<string, NodeCounts> {
  const out: Record<string, NodeCounts> = {};
  const ids = new Set([...Object.keys(draft.nodes), ...Object.keys(live?.nodes ?? {})]);
  for (const id of ids) {
    const a = draft.nodes[id] ?? { entered: 0, outputs: {} };
    const b = live?.nodes[id] ?? { entered: 0, outputs: {} };
    const outputs: Record<string, number> = {};
    for (const o of new Set([...Object.keys(a.outputs), ...Object.keys(b.outputs)]))
      outputs[o] = (a.outputs[o] ?? 0) - (b.outputs[o] ?? 0);
    out[id] = { entered: a.entered - b.entered, outputs };
  }
  return out;
}

/**
 * Replays never call look-ups (thousands of requests for one question, and today's answers for
 * last month's events): a run that reaches one takes its error output. Said once per node.
 */
function lookupNotes(plans: (LoadedPlan | null)[], sides: (SideResult | null)[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  plans.forEach((plan, i) => {
    for (const [id, node] of plan?.nodes ?? []) {
      const entered = sides[i]?.nodes[id]?.entered ?? 0;
      if (!node.def.runtime.addsData || entered === 0 || seen.has(id)) continue;
      seen.add(id);
      notes.push(
        `Look-ups are not called in backtests: the ${entered} run(s) that reached ${id} took its error output.`,
      );
    }
  });
  return notes;
}

/** The event names either side listens to: only they can change anything. */
export function backtestEventNames(draft: LoadedPlan, live: LoadedPlan | null): string[] {
  return [...new Set([...Object.keys(draft.plan.events), ...Object.keys(live?.plan.events ?? {})])];
}

/**
 * A backtest fed event by event, in arrival order (`at`, then as given), then finished at `until`
 * (waits due by then fire; later ones are still waiting).
 */
export function createBacktest(draftPlan: LoadedPlan, livePlan: LoadedPlan | null) {
  const draft = sideCounter(draftPlan);
  const live = livePlan ? sideCounter(livePlan) : null;
  let events = 0;
  // Message ids seen: a duplicate is skipped by both sides, as each replay would skip it (the
  // engine processes a message id once).
  const seen = new Set<string>();
  return {
    /** Synchronous for the built-in node types (a promise only if some step is asynchronous). */
    event(e: ReplayEvent): MaybePromise<void> {
      events++;
      if (seen.has(e.messageId)) {
        const at = e.at ?? Date.parse(e.timestamp);
        return andThen(draft.replay.advanceTo(at), () => live?.replay.advanceTo(at));
      }
      seen.add(e.messageId);
      return andThen(draft.replay.event(e), () => {
        draft.tick();
        if (live) return andThen(live.replay.event(e), () => live.tick());
      });
    },
    events: () => events,
    async finish(until: number): Promise<BacktestResult> {
      await draft.replay.advanceTo(until);
      await live?.replay.advanceTo(until);
      const d = draft.result();
      const l = live?.result() ?? null;
      const onlyDraft = [...draft.users].filter((u) => !live?.users.has(u)).slice(0, SAMPLES);
      const onlyLive = live ? [...live.users].filter((u) => !draft.users.has(u)).slice(0, SAMPLES) : [];
      const notes = lookupNotes([draftPlan, livePlan], [d, l]);
      return {
        events,
        draft: d,
        live: l,
        difference: difference(d, l),
        onlyDraft,
        onlyLive,
        ...(notes.length > 0 ? { notes } : {}),
      };
    },
  };
}
