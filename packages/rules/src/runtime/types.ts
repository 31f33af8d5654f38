import type { CompiledLogic } from '../logic/compile.ts';
import type { CompiledTemplate } from '../template/template.ts';
import type { LookupAnswer, LookupRequest } from '../wire/lookup.ts';
import type { MaybePromise } from './maybe-async.ts';

// The contract between a node type's step logic and whoever runs it: the engine (Postgres and
// pg-boss behind the port), the editor's test run and the replays (in memory behind the port).

/** The rule context's `event` (and `trigger`): what ingestion put on the wire, as rules see it. */
export interface EventData {
  name: string;
  userId: string;
  properties: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}

/** `{ event, trigger, user, lookup }`: what rules and templates read. */
export interface RuleData {
  event: EventData;
  trigger: EventData;
  user: Record<string, unknown>;
  /** What the run's "Look up" nodes answered so far, by node id (kept with the run across waits). */
  lookup?: Record<string, unknown>;
}

/** A JSON Logic field of a node, compiled, with the context paths it reads (for "values read"). */
export interface RuntimeRule {
  run: CompiledLogic;
  paths: readonly string[];
}

/** A node as its step sees it: typed config, compiled rules and templates, durations in ms. */
export interface StepNode<C = Record<string, unknown>> {
  id: string;
  config: C;
  rules: Readonly<Record<string, RuntimeRule>>;
  templates: Readonly<Record<string, CompiledTemplate>>;
  durations: Readonly<Record<string, number>>;
}

/**
 * Per-user state a step may read or reserve, scoped by the caller to this tenant, user, workflow
 * and node. The engine answers from Postgres; test runs and replays from memory.
 */
export interface StatePort {
  /** Events counted for this node (condition.count) with `from < at <= to` (ms). */
  countEvents(nodeId: string, window: TimeWindow): MaybePromise<number>;
  /**
   * Passes of this node (limit.frequency) in the window; when fewer than `max`, records one more at
   * `window.to`, atomically. Returns the count before, and when the oldest of them was (ms).
   */
  reservePass(nodeId: string, window: TimeWindow, max: number): MaybePromise<{ passes: number; oldest: number | null }>;
  /**
   * Makes a look-up's HTTP request for this user (the engine: with the address guard, through the
   * user's cache; the test run: through the web app). Absent in replays ("why not?", backtests),
   * which never call out: a look-up there takes its error output and says why.
   */
  lookup?(nodeId: string, request: LookupRequest): Promise<LookupAnswer>;
}

export interface TimeWindow {
  from: number;
  to: number;
}

export interface StepContext {
  data: RuleData;
  /** The clock of this walk (ms): wall time in the engine, simulated time in replays. */
  now: number;
  /**
   * Where count windows end (ms): the current event's time, or the moment the run resumed after a
   * wait.delay or a wait.event timeout (so "3 logins within a day" after a day's wait counts the day).
   */
  countsUntil: number;
  state: StatePort;
}

/** A wait the run parks at; the platform schedules it and resumes the node's output later. */
export type WaitRequest =
  | { kind: 'delay'; until: number; output: string }
  | { kind: 'event'; event: string; until: number; received: string; timeout: string };

/** An action to perform: the node's config with its templates rendered. */
export interface ActionRequest {
  payload: Record<string, unknown>;
  /** The consent category the user granted for it (set by the walk), re-checked at delivery. */
  consent?: string;
  /** Held by the daily action quota (set by the walk): not delivered before this time (ms, the walk's clock). */
  startAfter?: number;
}

/** The daily action quota's answer for one action (decision 039). */
export type ActionAdmission =
  | { send: true; heldUntil?: undefined }
  | { send: true; heldUntil: number; reason: string }
  | { send: false; reason: string };

/** What a user's consent says about one category an action needs. */
export interface ConsentDecision {
  category: string;
  granted: boolean;
}

export interface StepOutcome<O extends string = string> {
  /** The output to follow now; none ends this branch here (a wait parks it, a skip stops it). */
  output?: O;
  /** Why the run went this way: results, values read, counts with their windows. Shown in traces. */
  detail: Record<string, unknown>;
  wait?: WaitRequest;
  action?: ActionRequest;
  /**
   * Data this node adds to the run: later nodes read it as `lookup.<this node's id>` in rules and
   * templates, and it is kept with the run, so nodes after a wait still see it.
   */
  value?: unknown;
}

export type StepFn<C = Record<string, unknown>, O extends string = string> = (
  node: StepNode<C>,
  ctx: StepContext,
) => StepOutcome<O> | Promise<StepOutcome<O>>;

/**
 * What running a node needs to know beyond its step. Derived defaults: nothing touches state.
 * The engine walks runs of workflows whose nodes touch no state before it claims their event.
 */
export interface NodeRuntime {
  /** Reads per-user state through the port (counters). */
  readsState?: boolean;
  /** Writes per-user state through the port (frequency passes). */
  writesState?: boolean;
  /** Parks the run on a waiter that an event can take (wait.event); the run row must exist first. */
  registersWaiter?: boolean;
  /** Parks the run and resumes it later (any wait). */
  resumes?: boolean;
  /** Its step returns a `value` later nodes read as `lookup.<its id>` (the "Look up" node). */
  addsData?: boolean;
}
