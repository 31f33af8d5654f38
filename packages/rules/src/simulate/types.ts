import type { ConsentPreferences, ConsentSettings } from '../runtime/consent.ts';
import type { EventData, RuleData } from '../runtime/types.ts';
import type { LookupAnswer, LookupRequest } from '../wire/lookup.ts';

/** The rule context's `event`/`trigger` shape, as the engine builds it from a Kafka envelope. */
export type SimEventData = EventData;

/** `{ event, trigger, user }`: what rules and templates see. */
export type SimRuleData = RuleData;

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
  /**
   * The workspace's consent settings and the simulated user's answers; absent, actions need no
   * consent (as in a workspace that declared none).
   */
  consent?: { settings: ConsentSettings; preferences?: ConsentPreferences };
  /**
   * Makes a look-up's request for real (the editor: through the web app, with the engine's address
   * guard). Absent, look-ups are not called and take their error output, saying so.
   */
  lookup?: (nodeId: string, request: LookupRequest) => Promise<LookupAnswer>;
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
  /** What the actions would have sent (secret fields redacted); nothing is sent. */
  actions: SimAction[];
  /** Input that was given but could not take effect, and why (an awaited event for another user). */
  notes: string[];
}

export interface SimAction {
  nodeId: string;
  type: string;
  at: string;
  payload: Record<string, unknown>;
}
