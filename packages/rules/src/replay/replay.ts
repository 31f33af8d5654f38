import { routeEvent } from '../compiler/plan.ts';
import { resumeEntry, startEntry, targets } from '../runtime/entries.ts';
import { accepts, receivedData, resumedData, startData } from '../runtime/listen.ts';
import type { LoadedNode, LoadedPlan } from '../runtime/loaded-plan.ts';
import { valuesRead } from '../runtime/rule-values.ts';
import { type RunStatus, settleRun } from '../runtime/run-status.ts';
import type { ConsentDecision, EventData, RuleData, WaitRequest } from '../runtime/types.ts';
import { type PathEntry, type WalkPort, walk } from '../runtime/walk.ts';
import type { LookupAnswer, LookupRequest } from '../wire/lookup.ts';
import { createTimers, type Timer } from './timers.ts';
import { createMarks } from './user-state.ts';

// The engine in memory, in simulated time: the same plans, steps, walk and event order as
// apps/engine, with state in maps and waits as timers. The editor's test run, the parity test,
// "why didn't this user trigger?" and backtests all run on it; nothing is sent.

export interface ReplayWorkflow {
  workflowId: string;
  version: number;
  plan: LoadedPlan;
  /**
   * Whose counters it reads and adds to (default workflowId): the versions of one workflow share
   * them, as the engine keys marks by workflow so counts survive republishing.
   */
  marksOf?: string;
}

export interface ReplayEvent extends EventData {
  /** When the event reaches the engine (ms); defaults to its timestamp. */
  at?: number;
}

export interface ReplayAction {
  nodeId: string;
  actionId: string;
  at: number;
  payload: Record<string, unknown>;
}

export interface ReplayRun {
  id: string;
  workflowId: string;
  version: number;
  userId: string;
  trigger: EventData;
  startedAt: number;
  status: RunStatus;
  pending: number;
  path: PathEntry[];
  actions: ReplayAction[];
  /** What its look-ups answered (`lookup.<nodeId>`), kept across waits as the engine keeps them. */
  lookups: Record<string, unknown>;
  error?: string;
}

/** What one event did for one workflow: the replay's answer to "why (not)?". */
export type EventOutcome =
  | { kind: 'duplicate' }
  | { kind: 'not_live' }
  | { kind: 'not_routed' }
  | { kind: 'filtered'; read: Record<string, unknown>; error?: string }
  | { kind: 'started'; runId: string }
  | { kind: 'resumed'; runId: string; nodeId: string }
  | { kind: 'not_matched'; runId: string; nodeId: string; read: Record<string, unknown> }
  | { kind: 'counted'; nodeId: string };

export interface EventRecord {
  messageId: string;
  name: string;
  userId: string;
  at: number;
  workflowId: string;
  outcome: EventOutcome;
}

export interface ReplayOptions {
  workflows: ReplayWorkflow[];
  /** A user's profile traits (loaded only for plans that read `user.*`, as the engine does). */
  traits?: (userId: string) => Record<string, unknown>;
  /** Each event's outcomes per workflow, as they happen. */
  onRecord?: (record: EventRecord) => void;
  /** A filter or match threw (the engine counts these in tripwire_rule_errors_total). */
  onRuleError?: (node: LoadedNode, error: unknown) => void;
  /**
   * State that exists before the replay: counted events or frequency passes a node finds in its
   * window on top of the replayed ones (the test run's "already 2 failures in the window").
   */
  prior?: (nodeId: string) => number;
  /**
   * A user's consent for what an action needs (see WalkPort.consentFor); absent, actions need none.
   * The test run passes the workspace's categories and the simulated user's preferences.
   */
  consent?: (userId: string, needed: string | undefined) => ConsentDecision | null;
  /**
   * Makes a look-up's request (the editor's test run: through the web app). Absent — "why not?" and
   * backtests — look-ups are not called: they take their error output and the trace says why.
   */
  lookup?: (userId: string, nodeId: string, request: LookupRequest) => Promise<LookupAnswer>;
  /**
   * Whether a workflow (version) was live when the event arrived: only live ones count it and
   * start runs, as only they are in the engine's routing index; runs of any version still take
   * the events they wait for. Default: always.
   */
  liveAt?: (w: ReplayWorkflow, at: number) => boolean;
  /**
   * Each walk as the engine records it: the entry it started from and the nodes it passed
   * (`resumed`: it left a wait that was entered when the run parked). Backtests count these with
   * countPath exactly as the engine adds to its canvas counters.
   */
  onWalk?: (run: ReplayRun, path: readonly PathEntry[], resumed: boolean) => void;
}

interface Waiter {
  run: ReplayRun;
  node: LoadedNode;
  event: string;
  parkedAt: number;
  until: number;
  timeout: Timer<Due>;
  wait: Extract<WaitRequest, { kind: 'event' }>;
}

type Due = { kind: 'delay'; run: ReplayRun; node: LoadedNode; output: string } | { kind: 'timeout'; waiter: Waiter };

export function createReplay(options: ReplayOptions) {
  const { workflows } = options;
  const marks = createMarks();
  const timers = createTimers<Due>();
  const waiters = new Map<string, Waiter[]>(); // userId -> waiters, oldest first
  const runs: ReplayRun[] = [];
  const processed = new Set<string>();
  const plans = new Map(workflows.map((w) => [w.workflowId, w]));
  const prior = (nodeId: string) => options.prior?.(nodeId) ?? 0;
  let now = Number.NEGATIVE_INFINITY;
  let runSeq = 0;

  const traitsOf = (plan: LoadedPlan, userId: string) => (plan.readsUser ? (options.traits?.(userId) ?? {}) : {});
  const record = (e: ReplayEvent, at: number, workflowId: string, outcome: EventOutcome) =>
    options.onRecord?.({ messageId: e.messageId, name: e.name, userId: e.userId, at, workflowId, outcome });

  const marksKey = (workflowId: string) => plans.get(workflowId)?.marksOf ?? workflowId;

  function portFor(run: ReplayRun): WalkPort {
    const key = marksKey(run.workflowId);
    return {
      countEvents: async (nodeId, w) => prior(nodeId) + marks.count(run.userId, key, nodeId, w),
      async reservePass(nodeId, w, max) {
        const before = prior(nodeId);
        const found = marks.reserve(run.userId, key, nodeId, w, max - before, run.id);
        return { passes: before + found.passes, oldest: found.oldest };
      },
      async park(node, wait) {
        if (wait.kind === 'delay') {
          timers.set(wait.until, { kind: 'delay', run, node, output: wait.output });
          return true;
        }
        const list = waiters.get(run.userId) ?? [];
        if (list.some((w) => w.run === run && w.node === node)) return false;
        const waiter = { run, node, event: wait.event, parkedAt: now, until: wait.until, wait } as Waiter;
        waiter.timeout = timers.set(wait.until, { kind: 'timeout', waiter });
        list.push(waiter);
        waiters.set(run.userId, list);
        return true;
      },
      ...(options.consent
        ? { consentFor: async (needed: string | undefined) => options.consent?.(run.userId, needed) ?? null }
        : {}),
      ...(options.lookup
        ? {
            lookup: (nodeId: string, request: LookupRequest) =>
              (options.lookup as NonNullable<ReplayOptions['lookup']>)(run.userId, nodeId, request),
          }
        : {}),
      async send(node, action) {
        const actionId = `${run.id}:${node.id}`;
        run.actions.push({ nodeId: node.id, actionId, at: now, payload: action.payload });
        return actionId;
      },
    };
  }

  /** Walks `run` on from `start` and settles its status (`resumed`: one wait was taken back). */
  async function advance(
    run: ReplayRun,
    plan: LoadedPlan,
    entry: PathEntry,
    start: readonly string[],
    data: RuleData,
    countsUntil: number,
    resumed: boolean,
  ) {
    const result = await walk(plan, start, { data, now, countsUntil, port: portFor(run) });
    run.path.push(entry, ...result.path);
    run.lookups = { ...run.lookups, ...result.lookups };
    options.onWalk?.(run, [entry, ...result.path], resumed);
    const settled = settleRun(run.pending, result.waits - (resumed ? 1 : 0), result.error);
    run.status = settled.status;
    run.pending = settled.pending;
    if (result.error !== undefined) {
      run.error = result.error;
      // A failed run waits for nothing more.
      for (const [userId, list] of waiters)
        waiters.set(
          userId,
          list.filter((w) => w.run !== run),
        );
    }
  }

  async function fire(due: Due) {
    if (due.kind === 'delay') {
      const { run, node, output } = due;
      if (run.status === 'failed') return;
      const plan = (plans.get(run.workflowId) as ReplayWorkflow).plan;
      const entry = resumeEntry(node, output, now, { resumedBy: 'delay' });
      await advance(
        run,
        plan,
        entry,
        targets(node, output),
        resumedData(run.trigger, traitsOf(plan, run.userId), run.lookups),
        now,
        true,
      );
      return;
    }
    const { waiter } = due;
    const list = waiters.get(waiter.run.userId) ?? [];
    if (!list.includes(waiter)) return;
    list.splice(list.indexOf(waiter), 1);
    const { run, node } = waiter;
    const plan = (plans.get(run.workflowId) as ReplayWorkflow).plan;
    const output = waiter.wait.timeout;
    const entry = resumeEntry(node, output, now, { resumedBy: 'timeout' });
    await advance(
      run,
      plan,
      entry,
      targets(node, output),
      resumedData(run.trigger, traitsOf(plan, run.userId), run.lookups),
      now,
      true,
    );
  }

  /** Fires every wait due up to `to`, in time order, moving the clock along. */
  async function advanceTo(to: number) {
    for (let due = timers.next(to); due; due = timers.next(to)) {
      now = Math.max(now, due.at);
      await fire(due.item);
    }
    now = Math.max(now, to);
  }

  async function resumeWaiters(e: ReplayEvent, at: number) {
    for (const waiter of [...(waiters.get(e.userId) ?? [])]) {
      if (waiter.event !== e.name || waiter.until <= at) continue;
      const { run, node } = waiter;
      const plan = (plans.get(run.workflowId) as ReplayWorkflow).plan;
      const data = receivedData(e, run.trigger, traitsOf(plan, run.userId), run.lookups);
      const rule = node.listens.wait;
      if (!accepts(rule, data, (error) => options.onRuleError?.(node, error))) {
        record(e, at, run.workflowId, {
          kind: 'not_matched',
          runId: run.id,
          nodeId: node.id,
          read: rule ? valuesRead(rule, data) : {},
        });
        continue;
      }
      const list = waiters.get(e.userId) ?? [];
      list.splice(list.indexOf(waiter), 1);
      timers.cancel(waiter.timeout);
      record(e, at, run.workflowId, { kind: 'resumed', runId: run.id, nodeId: node.id });
      const output = waiter.wait.received;
      const entry = resumeEntry(node, output, now, { messageId: e.messageId });
      await advance(run, plan, entry, targets(node, output), data, Date.parse(e.timestamp), true);
    }
  }

  async function startRun(w: ReplayWorkflow, e: ReplayEvent, data: RuleData) {
    const { plan } = w;
    const run: ReplayRun = {
      id: `run-${++runSeq}`,
      workflowId: w.workflowId,
      version: w.version,
      userId: e.userId,
      trigger: eventOnly(e),
      startedAt: now,
      status: 'running',
      pending: 0,
      path: [],
      actions: [],
      lookups: {},
    };
    runs.push(run);
    const entry = startEntry(plan.trigger, e, data, now);
    await advance(run, plan, entry, targets(plan.trigger, 'next'), data, Date.parse(e.timestamp), false);
    return run;
  }

  return {
    runs,
    /** The simulated clock (ms). */
    now: () => now,
    /** One event, after every wait due before it: counters, then waiting runs, then new runs. */
    async event(e: ReplayEvent) {
      const at = e.at ?? Date.parse(e.timestamp);
      await advanceTo(at);
      if (processed.has(e.messageId)) {
        for (const w of workflows) record(e, at, w.workflowId, { kind: 'duplicate' });
        return;
      }
      processed.add(e.messageId);
      const event = eventOnly(e);
      const started: { w: ReplayWorkflow; data: RuleData }[] = [];
      let waits = false;
      for (const w of workflows) {
        if (options.liveAt && !options.liveAt(w, at)) {
          record(e, at, w.workflowId, { kind: 'not_live' });
          continue;
        }
        const route = routeEvent(w.plan.plan, e.name);
        if (!route) {
          record(e, at, w.workflowId, { kind: 'not_routed' });
          continue;
        }
        const data = startData(event, traitsOf(w.plan, e.userId));
        for (const nodeId of route.counts) {
          const node = w.plan.nodes.get(nodeId) as LoadedNode;
          if (!accepts(node.listens.count, data, (error) => options.onRuleError?.(node, error))) continue;
          marks.add(e.userId, marksKey(w.workflowId), nodeId, Date.parse(e.timestamp), e.messageId);
          record(e, at, w.workflowId, { kind: 'counted', nodeId });
        }
        if (route.waits.length > 0) waits = true;
        if (route.triggers.length === 0) continue;
        const filter = w.plan.trigger.listens.trigger;
        let error: string | undefined;
        const ok = accepts(filter, data, (err) => {
          error = err instanceof Error ? err.message : String(err);
          options.onRuleError?.(w.plan.trigger, err);
        });
        if (ok) started.push({ w, data });
        else
          record(e, at, w.workflowId, {
            kind: 'filtered',
            read: filter ? valuesRead(filter, data) : {},
            ...(error ? { error } : {}),
          });
      }
      // Runs of any version take the events they wait for (the engine routes awaited names too).
      if (waits || (waiters.get(e.userId)?.length ?? 0) > 0) await resumeWaiters(event, at);
      for (const { w, data } of started) {
        const run = await startRun(w, event, data);
        record(e, at, w.workflowId, { kind: 'started', runId: run.id });
      }
    },
    /** Fires every wait due up to `to` (ms). */
    advanceTo,
    /** Keeps memory bounded in long replays: marks older than any window can be dropped. */
    pruneMarks: (before: number) => marks.prune(before),
    pendingTimers: () => timers.size(),
    /** Forgets runs that finished (long replays keep memory bounded) and returns them. */
    dropFinished(): ReplayRun[] {
      const done: ReplayRun[] = [];
      const open: ReplayRun[] = [];
      for (const r of runs) (r.status === 'completed' || r.status === 'failed' ? done : open).push(r);
      runs.length = 0;
      runs.push(...open);
      return done;
    },
    /** The waits a run is parked at for an event. */
    waitsOf: (run: ReplayRun) =>
      (waiters.get(run.userId) ?? [])
        .filter((w) => w.run === run)
        .map((w) => ({ nodeId: w.node.id, event: w.event, parkedAt: w.parkedAt, until: w.until })),
  };
}

export type Replay = ReturnType<typeof createReplay>;

function eventOnly(e: ReplayEvent): EventData {
  return { name: e.name, userId: e.userId, properties: e.properties, timestamp: e.timestamp, messageId: e.messageId };
}
