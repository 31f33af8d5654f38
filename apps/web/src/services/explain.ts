import {
  type EventHistoryStore,
  profiles,
  runs,
  type TenantTx,
  workflowActivations,
  workflows,
  workflowVersions,
} from '@tripwire/db';
import {
  type Activation,
  type ExecutionPlan,
  type ExplainedEvent,
  type ExplainVersion,
  explainUser,
  loadPlan,
  nodeNames,
  type PathEntry,
  PlanLoadError,
  type WorkflowDocumentInput,
} from '@tripwire/rules';
import { and, asc, eq, gte, lte } from 'drizzle-orm';

// "Why didn't this user trigger?" (issue 14) for the editor and GET /v1/workflows/:id/explain:
// the user's kept events replayed through the versions live at their times (explainUser in
// @tripwire/rules, on the shared replay), and the runs it finds set against the runs the engine
// recorded. A difference is a bug in one of them: it is reported, never smoothed over.

/** A user's events explained at once, at most (the answer must come in well under 2 s). */
export const MAX_EXPLAINED_EVENTS = 10_000;

/** Bad input the caller can fix: a 4xx with this message, never a 500. */
export class ExplainRejected extends Error {
  readonly code: 'not_found' | 'unknown_user' | 'out_of_retention' | 'bad_range' | 'too_many_events';
  constructor(code: ExplainRejected['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface ExplainedRunLink {
  /** The replay's id (run-N), as the events' reasons name it. */
  id: string;
  version: number;
  triggerMessageId: string;
  startedAt: string;
  status: string;
  /** The steps in order: node and the output it left by. */
  steps: { nodeId: string; output?: string }[];
  actions: number;
  /** The engine's run for the same event and version, with its trace, when it recorded one. */
  engineRunId: string | null;
  trace: string | null;
}

export interface Explanation {
  workflowId: string;
  userId: string;
  from: string;
  to: string;
  retentionDays: number;
  events: ExplainedEvent[];
  runs: ExplainedRunLink[];
  /** Where the replay and the engine disagree (a bug; the parity test should learn from it). */
  differences: string[];
}

const steps = (path: PathEntry[]) => path.map((p) => ({ nodeId: p.nodeId, ...(p.output ? { output: p.output } : {}) }));
const sameSteps = (a: { nodeId: string; output?: string }[], b: { nodeId: string; output?: string }[]) =>
  a.length === b.length && a.every((s, i) => s.nodeId === b[i]?.nodeId && s.output === b[i]?.output);

export async function explainUserHistory(
  tx: TenantTx,
  store: EventHistoryStore,
  o: { tenantId: string; workflowId: string; userId: string; from?: Date; to?: Date; now?: Date },
): Promise<Explanation> {
  const now = o.now ?? new Date();
  const [wf] = await tx
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.tenantId, o.tenantId), eq(workflows.id, o.workflowId)));
  if (!wf) throw new ExplainRejected('not_found', 'No such workflow');
  const retention = await store.retention(tx, o.tenantId, now);
  const from = o.from ?? retention.from;
  const to = o.to ?? now;
  if (to.getTime() <= from.getTime()) throw new ExplainRejected('bad_range', '"to" must be after "from"');
  // A minute of slack: "the last 7 days" asked a moment after the window was computed.
  if (from.getTime() < retention.from.getTime() - 60_000)
    throw new ExplainRejected(
      'out_of_retention',
      `Event history is kept for ${retention.days} days: the earliest you can ask about is ${retention.from.toISOString()}`,
    );
  const kept = await store.byUser(tx, o.tenantId, o.userId, { from, to }, MAX_EXPLAINED_EVENTS + 1);
  if (kept.length === 0 && !(await store.knowsUser(tx, o.tenantId, o.userId, retention.from)))
    throw new ExplainRejected(
      'unknown_user',
      `No events from user "${o.userId}" in the last ${retention.days} days (the history kept), so there is nothing to explain`,
    );
  if (kept.length > MAX_EXPLAINED_EVENTS)
    throw new ExplainRejected(
      'too_many_events',
      `User "${o.userId}" has more than ${MAX_EXPLAINED_EVENTS.toLocaleString('en-US')} events in this range: choose a shorter time range`,
    );

  const versionRows = await tx
    .select({ version: workflowVersions.version, document: workflowVersions.document, plan: workflowVersions.plan })
    .from(workflowVersions)
    .where(and(eq(workflowVersions.tenantId, o.tenantId), eq(workflowVersions.workflowId, o.workflowId)));
  const versions: ExplainVersion[] = [];
  for (const v of versionRows) {
    try {
      const names = nodeNames(v.document as WorkflowDocumentInput);
      versions.push({ version: v.version, plan: loadPlan(v.plan as ExecutionPlan), names });
    } catch (error) {
      // A version today's release cannot run did not run then either (the engine refuses it).
      if (!(error instanceof PlanLoadError)) throw error;
    }
  }
  const activations: Activation[] = (
    await tx
      .select({ version: workflowActivations.version, at: workflowActivations.at })
      .from(workflowActivations)
      .where(and(eq(workflowActivations.tenantId, o.tenantId), eq(workflowActivations.workflowId, o.workflowId)))
      .orderBy(asc(workflowActivations.seq))
  ).map((a) => ({ version: a.version, at: a.at.getTime() }));
  const readsUser = versions.some((v) => v.plan.readsUser);
  const [profile] = readsUser
    ? await tx
        .select({ traits: profiles.traits })
        .from(profiles)
        .where(and(eq(profiles.tenantId, o.tenantId), eq(profiles.userId, o.userId)))
    : [];

  const x = await explainUser({
    workflowId: o.workflowId,
    versions,
    activations,
    events: kept
      .filter((e) => e.type === 'track' && e.event)
      .map((e) => ({
        name: e.event as string,
        userId: e.userId,
        properties: e.properties ?? {},
        timestamp: e.timestamp,
        messageId: e.messageId,
        at: Date.parse(e.receivedAt),
      })),
    traits: (profile?.traits as Record<string, unknown> | undefined) ?? {},
    until: Math.min(to.getTime(), now.getTime()),
  });

  // The engine's runs of this user on this workflow started by events of the range (an hour of slack
  // for consumer lag), by trigger event: at most one per event and version, so bounded like the events.
  const recorded = await tx
    .select({
      id: runs.id,
      version: runs.version,
      status: runs.status,
      path: runs.path,
      triggerEvent: runs.triggerEvent,
      startedAt: runs.startedAt,
    })
    .from(runs)
    .where(
      and(
        eq(runs.tenantId, o.tenantId),
        eq(runs.userId, o.userId),
        eq(runs.workflowId, o.workflowId),
        gte(runs.startedAt, from),
        lte(runs.startedAt, new Date(to.getTime() + 3_600_000)),
      ),
    )
    .limit(2 * MAX_EXPLAINED_EVENTS);
  const byTrigger = new Map(
    recorded.map((r) => [`${(r.triggerEvent as { messageId?: string }).messageId}@${r.version}`, r]),
  );
  const differences: string[] = [];
  const matched = new Set<string>();
  const links: ExplainedRunLink[] = x.runs.map((r) => {
    const engine = byTrigger.get(`${r.triggerMessageId}@${r.version}`);
    const replayed = steps(r.path);
    if (!engine) {
      differences.push(
        `The replay started ${r.id} (version ${r.version}) for event ${r.triggerMessageId}; the engine recorded no run for it`,
      );
    } else {
      matched.add(engine.id);
      const ran = steps(engine.path as PathEntry[]);
      if (engine.status !== r.status || !sameSteps(ran, replayed))
        differences.push(
          `${r.id} and the engine's run ${engine.id} differ: replay ${r.status} via ${replayed.map((s) => `${s.nodeId}${s.output ? `:${s.output}` : ''}`).join(' → ')}, engine ${engine.status} via ${ran.map((s) => `${s.nodeId}${s.output ? `:${s.output}` : ''}`).join(' → ')}`,
        );
    }
    return {
      id: r.id,
      version: r.version,
      triggerMessageId: r.triggerMessageId,
      startedAt: r.startedAt,
      status: r.status,
      steps: replayed,
      actions: r.actions,
      engineRunId: engine?.id ?? null,
      trace: engine ? `/app/runs/${engine.id}` : null,
    };
  });
  const explainedIds = new Set(kept.map((e) => e.messageId));
  for (const r of recorded) {
    const messageId = (r.triggerEvent as { messageId?: string }).messageId ?? '';
    // Runs whose trigger is outside the explained events (before the range) are not compared.
    if (!matched.has(r.id) && explainedIds.has(messageId))
      differences.push(
        `The engine recorded run ${r.id} (version ${r.version}) for event ${messageId}; the replay started none`,
      );
  }
  return {
    workflowId: o.workflowId,
    userId: o.userId,
    from: from.toISOString(),
    to: to.toISOString(),
    retentionDays: retention.days,
    events: x.events,
    runs: links,
    differences,
  };
}
