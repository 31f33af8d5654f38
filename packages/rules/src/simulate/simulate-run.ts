import type { ExecutionPlan } from '../compiler/plan.ts';
import { routeEvent } from '../compiler/plan.ts';
import type { Registry } from '../registry.ts';
import { createReplay, type EventRecord, type ReplayRun } from '../replay/replay.ts';
import { decideConsent } from '../runtime/consent.ts';
import { type LoadedPlan, loadPlan, PlanLoadError } from '../runtime/loaded-plan.ts';
import { redactConfig } from '../runtime/redact.ts';
import type { LookupRequest } from '../wire/lookup.ts';
import { errorMessage, eventData, iso, own, ownCount } from './input.ts';
import type { SimInput, SimResult } from './types.ts';

const DRAFT = 'draft';
/** Past every wait (waits are at most 90 days): the test run shows where each branch ends. */
const THE_END = Date.UTC(9999, 0);

/**
 * What the engine would do with one event, without touching anything: the draft runs on the
 * in-memory engine (the same steps and walk as apps/engine). State the engine would have (prior
 * counts, frequency passes) and awaited events come from `input`; waits pass in simulated time;
 * actions are rendered, not sent.
 */
export async function simulateRun(
  plan: ExecutionPlan,
  input: SimInput,
  options: { registry?: Registry } = {},
): Promise<SimResult> {
  const none = { steps: [], actions: [], notes: [] };
  let loaded: LoadedPlan;
  try {
    loaded = loadPlan(plan, options.registry);
  } catch (error) {
    const message = error instanceof PlanLoadError ? error.message : errorMessage(error);
    return { started: false, reason: `This draft cannot run: ${message}`, error: message, ...none };
  }
  const now = (input.now ?? new Date()).getTime();
  const event = eventData(input.event, now);
  const trigger = loaded.trigger;
  if (!routeEvent(plan, event.name)?.triggers.includes(trigger.id)) {
    const expected =
      typeof trigger.step.config.event === 'string' ? `; it starts on "${trigger.step.config.event}"` : '';
    return { started: false, reason: `Event "${event.name}" does not start this workflow${expected}`, ...none };
  }
  const records: EventRecord[] = [];
  const replay = createReplay({
    workflows: [{ workflowId: DRAFT, version: 0, plan: loaded }],
    traits: () => input.user ?? {},
    ...(input.consent
      ? {
          consent: (_user: string, needed: string | undefined) =>
            decideConsent(
              (input.consent as NonNullable<SimInput['consent']>).settings,
              input.consent?.preferences,
              needed,
            ),
        }
      : {}),
    ...(input.lookup
      ? {
          lookup: (_user: string, nodeId: string, request: LookupRequest) =>
            (input.lookup as NonNullable<SimInput['lookup']>)(nodeId, request),
        }
      : {}),
    onRecord: (r) => records.push(r),
    prior: (nodeId) => {
      const node = loaded.nodes.get(nodeId);
      return node?.def.runtime.writesState ? ownCount(input.frequency, nodeId) : ownCount(input.counts, nodeId);
    },
  });
  await replay.event({ ...event, at: now });
  const outcome = records.find((r) => r.messageId === event.messageId && r.outcome.kind !== 'counted')?.outcome;
  if (outcome?.kind === 'filtered') {
    const failed = outcome.error !== undefined;
    return {
      started: false,
      reason: failed ? `The trigger filter failed: ${outcome.error}` : 'The trigger filter is false for this event',
      steps: [
        {
          nodeId: trigger.id,
          type: trigger.def.type,
          at: iso(now),
          detail: failed ? { error: outcome.error } : { messageId: event.messageId, filter: false, read: outcome.read },
        },
      ],
      actions: [],
      notes: [],
      ...(failed ? { error: outcome.error } : {}),
    };
  }
  const run = replay.runs[0] as ReplayRun;
  const notes = await deliverAwaited(replay, run, input);
  await replay.advanceTo(THE_END);
  return {
    started: true,
    steps: run.path.map((p) => ({ ...p, detail: p.detail ?? {} })),
    actions: run.actions.map((a) => {
      const node = loaded.nodes.get(a.nodeId);
      return {
        nodeId: a.nodeId,
        type: node?.def.type ?? '',
        at: iso(a.at),
        payload: node ? redactConfig(node.def, a.payload) : a.payload,
      };
    }),
    notes,
    ...(run.error !== undefined ? { error: run.error } : {}),
  };
}

/** Sends each awaited event given in the input when its wait is reached, in time order. */
async function deliverAwaited(replay: ReturnType<typeof createReplay>, run: ReplayRun, input: SimInput) {
  const notes: string[] = [];
  const delivered = new Set<string>();
  for (;;) {
    const waits = replay.waitsOf(run).filter((w) => !delivered.has(w.nodeId) && own(input.awaited, w.nodeId));
    const wait = waits.sort((a, b) => a.parkedAt - b.parkedAt)[0];
    if (!wait) return notes;
    delivered.add(wait.nodeId);
    const given = own(input.awaited, wait.nodeId);
    if (!given) continue;
    const stamped = given.timestamp === undefined ? Number.NaN : Date.parse(given.timestamp);
    const at = Number.isNaN(stamped) || stamped < wait.parkedAt ? wait.parkedAt : stamped;
    const awaited = eventData(
      { ...given, name: given.name ?? wait.event, userId: given.userId ?? run.userId },
      at,
      `simulated-${wait.nodeId}`,
    );
    if (awaited.name !== wait.event)
      notes.push(`${wait.nodeId}: the event given is ${awaited.name}, not ${wait.event}`);
    else if (awaited.userId !== run.userId) notes.push(`${wait.nodeId}: the event given is for another user`);
    else if (at >= wait.until) notes.push(`${wait.nodeId}: the event given arrives after the wait gives up`);
    await replay.event({ ...awaited, at });
  }
}
