import { routeEvent } from '../compiler/plan.ts';
import { resumeEntry, startEntry, targets } from '../runtime/entries.ts';
import { accepts, receivedData, resumedData, startData } from '../runtime/listen.ts';
import type { LoadedNode, LoadedPlan } from '../runtime/loaded-plan.ts';
import { drive, type MaybePromise, type Steps } from '../runtime/maybe-async.ts';
import { valuesRead } from '../runtime/rule-values.ts';
import { type RunStatus, settleRun } from '../runtime/run-status.ts';
import type { ConsentDecision, EventData, RuleData, WaitRequest } from '../runtime/types.ts';
import { type PathEntry, type WalkPort, walkSteps } from '../runtime/walk.ts';
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
  /** Whether runs keep their steps in `path` (default true); backtests only count them. */
  keepPaths?: boolean;
  /**
   * Whether the replay skips events whose message id it has seen (default true, recorded as
   * `duplicate`). A caller that feeds several replays the same events checks once itself.
   */
  dedupe?: boolean;
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
  /** Runs started, in order, that may still be running or waiting (compacted when asked). */
  const open: ReplayRun[] = [];
  const processed = new Set<string>();
  const plans = new Map(workflows.map((w) => [w.workflowId, w]));
  const prior = (nodeId: string) => options.prior?.(nodeId) ?? 0;
  const keepPaths = options.keepPaths ?? true;
  const dedupe = options.dedupe ?? true;
  let now = Number.NEGATIVE_INFINITY;
  let runSeq = 0;

  const traitsOf = (plan: LoadedPlan, userId: string) => (plan.readsUser ? (options.traits?.(userId) ?? {}) : {});
  const record = (e: ReplayEvent, at: number, workflowId: string, outcome: EventOutcome) =>
    options.onRecord?.({ messageId: e.messageId, name: e.name, userId: e.userId, at, workflowId, outcome });

  const marksKey = (workflowId: string) => plans.get(workflowId)?.marksOf ?? workflowId;

  /**
   * The state a run's walk sees, answered from memory at once (plain values, not promises: the walk
   * then runs synchronously). Made once per run and kept with it, as a run walks again at each resume.
   */
  function portFor(run: ReplayRun): WalkPort {
    const kept = run as ReplayRun & { [PORT]?: WalkPort };
    let port = kept[PORT];
    if (!port) {
      port = makePort(run);
      Object.defineProperty(kept, PORT, { value: port });
    }
    return port;
  }

  function makePort(run: ReplayRun): WalkPort {
    const key = marksKey(run.workflowId);
    return {
      countEvents: (nodeId, w) => prior(nodeId) + marks.count(run.userId, key, nodeId, w),
      reservePass(nodeId, w, max) {
        const before = prior(nodeId);
        const found = marks.reserve(run.userId, key, nodeId, w, max - before, run.id);
        return { passes: before + found.passes, oldest: found.oldest };
      },
      park(node, wait) {
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
        ? { consentFor: (needed: string | undefined) => options.consent?.(run.userId, needed) ?? null }
        : {}),
      ...(options.lookup
        ? {
            lookup: (nodeId: string, request: LookupRequest) =>
              (options.lookup as NonNullable<ReplayOptions['lookup']>)(run.userId, nodeId, request),
          }
        : {}),
      send(node, action) {
        const actionId = `${run.id}:${node.id}`;
        run.actions.push({ nodeId: node.id, actionId, at: now, payload: action.payload });
        return actionId;
      },
    };
  }

  /** Walks `run` on from `start` and settles its status (`resumed`: one wait was taken back). */
  function* advance(
    run: ReplayRun,
    plan: LoadedPlan,
    entry: PathEntry,
    start: readonly string[],
    data: RuleData,
    countsUntil: number,
    resumed: boolean,
  ): Steps<void> {
    const result = yield* walkSteps(plan, start, { data, now, countsUntil, port: portFor(run) });
    const walked = [entry, ...result.path];
    if (keepPaths) for (const step of walked) run.path.push(step);
    run.lookups = { ...run.lookups, ...result.lookups };
    options.onWalk?.(run, walked, resumed);
    const settled = settleRun(run.pending, result.waits - (resumed ? 1 : 0), result.error);
    run.status = settled.status;
    run.pending = settled.pending;
    if (result.error !== undefined) {
      run.error = result.error;
      // A failed run waits for nothing more (its waits are all under its user).
      const list = waiters.get(run.userId);
      if (list)
        waiters.set(
          run.userId,
          list.filter((w) => w.run !== run),
        );
    }
  }

  function* fire(due: Due): Steps<void> {
    if (due.kind === 'delay') {
      const { run, node, output } = due;
      if (run.status === 'failed') return;
      const plan = (plans.get(run.workflowId) as ReplayWorkflow).plan;
      const entry = resumeEntry(node, output, now, { resumedBy: 'delay' });
      yield* advance(
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
    yield* advance(
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
  function* advanceTo(to: number): Steps<void> {
    for (let due = timers.next(to); due; due = timers.next(to)) {
      now = Math.max(now, due.at);
      yield* fire(due.item);
    }
    now = Math.max(now, to);
  }

  function* resumeWaiters(e: ReplayEvent, at: number): Steps<void> {
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
      yield* advance(run, plan, entry, targets(node, output), data, Date.parse(e.timestamp), true);
    }
  }

  function* startRun(w: ReplayWorkflow, e: ReplayEvent, data: RuleData): Steps<ReplayRun> {
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
    open.push(run);
    const entry = startEntry(plan.trigger, e, data, now);
    yield* advance(run, plan, entry, targets(plan.trigger, 'next'), data, Date.parse(e.timestamp), false);
    return run;
  }

  function* eventSteps(e: ReplayEvent): Steps<void> {
    const at = e.at ?? Date.parse(e.timestamp);
    yield* advanceTo(at);
    if (dedupe) {
      if (processed.has(e.messageId)) {
        for (const w of workflows) record(e, at, w.workflowId, { kind: 'duplicate' });
        return;
      }
      processed.add(e.messageId);
    }
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
    if (waits || (waiters.get(e.userId)?.length ?? 0) > 0) yield* resumeWaiters(event, at);
    for (const { w, data } of started) {
      const run = yield* startRun(w, event, data);
      record(e, at, w.workflowId, { kind: 'started', runId: run.id });
    }
  }

  // The public calls are synchronous when every step answers at once (the built-in node types
  // do), and return a promise only when some step or callback is asynchronous: await them.
  return {
    runs,
    /** The simulated clock (ms). */
    now: () => now,
    /** One event, after every wait due before it: counters, then waiting runs, then new runs. */
    event: (e: ReplayEvent): MaybePromise<void> => drive(eventSteps(e)),
    /** Fires every wait due up to `to` (ms). */
    advanceTo: (to: number): MaybePromise<void> => drive(advanceTo(to)),
    /** Keeps memory bounded in long replays: marks older than any window can be dropped. */
    pruneMarks: (before: number) => marks.prune(before),
    pendingTimers: () => timers.size(),
    /** Runs still running or waiting, in the order they started. */
    openRuns(): readonly ReplayRun[] {
      let kept = 0;
      for (const r of open) if (r.status === 'running' || r.status === 'waiting') open[kept++] = r;
      open.length = kept;
      return open;
    },
    /** A run by its id, among those kept (dropFinished lets finished ones go); recent ones are found first. */
    run(id: string): ReplayRun | undefined {
      for (let i = runs.length - 1; i >= 0; i--) if (runs[i]?.id === id) return runs[i];
      return undefined;
    },
    /** Forgets runs that finished (long replays keep memory bounded) and returns them. */
    dropFinished(): ReplayRun[] {
      const done: ReplayRun[] = [];
      const kept: ReplayRun[] = [];
      for (const r of runs) (r.status === 'completed' || r.status === 'failed' ? done : kept).push(r);
      runs.length = 0;
      for (const r of kept) runs.push(r);
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

/** Where a replay keeps a run's port (not enumerable: runs are serialized as they are). */
const PORT = Symbol('port');

function eventOnly(e: ReplayEvent): EventData {
  return { name: e.name, userId: e.userId, properties: e.properties, timestamp: e.timestamp, messageId: e.messageId };
}
