import type { ExecutionPlan } from '../compiler/plan.ts';

/** The rule context's `event`/`trigger` shape, as the engine builds it from a Kafka envelope. */
export interface SimEventData {
  name: string;
  userId: string;
  properties: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}

/** `{ event, trigger, user }`: what rules and templates see. */
export interface SimRuleData {
  event: SimEventData;
  trigger: SimEventData;
  user: Record<string, unknown>;
}

export interface SimEventInput {
  name: string;
  userId: string;
  properties?: Record<string, unknown>;
  /** ISO-8601; defaults to `now`. */
  timestamp?: string;
  messageId?: string;
}

/** An event a wait.event node receives. Name and user default to the awaited name and the trigger's user. */
export interface SimAwaitedEvent {
  name?: string;
  userId?: string;
  properties?: Record<string, unknown>;
  timestamp?: string;
  messageId?: string;
}

export interface SimInput {
  event: SimEventInput;
  /** Profile traits. */
  user?: Record<string, unknown>;
  /** condition.count node id -> matching events already in the window, the current one excluded. */
  counts?: Record<string, number>;
  /** limit.frequency node id -> passes already in the window. */
  frequency?: Record<string, number>;
  /** wait.event node id -> the event it receives, or null (or absent) for a timeout. */
  awaited?: Record<string, SimAwaitedEvent | null>;
  now?: Date;
}

export interface SimStep {
  nodeId: string;
  type: string;
  /** Simulated time the node ran at; waits move it forward. */
  at: string;
  output?: string;
  detail: Record<string, unknown>;
}

export interface SimResult {
  started: boolean;
  /** Why no run started. */
  reason?: string;
  steps: SimStep[];
  /** The first node error; the engine marks such a run failed. */
  error?: string;
}

/** State of one simulated run, shared by the node handlers. */
export interface SimRun {
  plan: ExecutionPlan;
  input: SimInput;
  /** limit.frequency passes recorded by this run: node id -> times (ms). */
  marks: Map<string, number[]>;
}
