import { plans, type TenantTx, tenants, usageCounters, workflows } from '@tripwire/db';
import {
  dayPeriod,
  monthPeriod,
  NEAR_QUOTA_SHARE,
  nextDayStart,
  nextMonthStart,
  type OverQuotaActions,
  usageShare,
} from '@tripwire/rules';
import { and, count, eq, gte, or } from 'drizzle-orm';

/** A quota the workspace is near (≥ 90%) or over, in words for the app's banner. */
export interface QuotaWarning {
  quota: 'events' | 'actions' | 'workflows';
  over: boolean;
  message: string;
}

export interface Usage {
  /** The operator's plan; null: no plan, no quotas. */
  plan: string | null;
  ingestRate: { perSecond: number; burst: number };
  events: { used: number; limit: number | null; resetsAt: string };
  actions: { used: number; limit: number | null; resetsAt: string; held: number; overQuota: OverQuotaActions };
  workflows: { used: number; live: number; limit: number | null };
  warnings: QuotaWarning[];
}

const n = (v: number) => v.toLocaleString('en-US');

/** What the workspace used this UTC month and day against its plan's limits (the usage page, the banner). */
export async function usageOf(tx: TenantTx, tenantId: string, now = Date.now()): Promise<Usage> {
  const [tenant] = await tx
    .select({
      plan: plans.id,
      ownRate: tenants.ingestRatePerSecond,
      ownBurst: tenants.ingestBurst,
      rate: plans.ingestRatePerSecond,
      burst: plans.ingestBurst,
      eventsPerMonth: plans.eventsPerMonth,
      actionsPerDay: plans.actionsPerDay,
      workflows: plans.workflows,
      overQuotaActions: plans.overQuotaActions,
    })
    .from(tenants)
    .leftJoin(plans, eq(plans.id, tenants.planId))
    .where(eq(tenants.id, tenantId));
  const month = monthPeriod(now);
  const today = dayPeriod(now);
  const counters = await tx
    .select({ metric: usageCounters.metric, period: usageCounters.period, count: usageCounters.count })
    .from(usageCounters)
    .where(
      and(
        eq(usageCounters.tenantId, tenantId),
        or(
          and(eq(usageCounters.metric, 'events'), eq(usageCounters.period, month)),
          and(eq(usageCounters.metric, 'actions'), gte(usageCounters.period, today)),
        ),
      ),
    );
  const [wf] = await tx
    .select({ all: count(), live: count(workflows.activeVersion) })
    .from(workflows)
    .where(eq(workflows.tenantId, tenantId));
  const sum = (pick: (c: (typeof counters)[number]) => boolean) =>
    counters.filter(pick).reduce((total, c) => total + Number(c.count), 0);

  const eventsLimit = tenant?.eventsPerMonth == null ? null : Number(tenant.eventsPerMonth);
  const events = {
    used: sum((c) => c.metric === 'events'),
    limit: eventsLimit,
    resetsAt: new Date(nextMonthStart(now)).toISOString(),
  };
  const actions = {
    used: sum((c) => c.metric === 'actions' && c.period === today),
    limit: tenant?.actionsPerDay ?? null,
    resetsAt: new Date(nextDayStart(now)).toISOString(),
    held: sum((c) => c.metric === 'actions' && c.period > today),
    overQuota: (tenant?.overQuotaActions ?? 'hold') as OverQuotaActions,
  };
  const workflowUse = { used: wf?.all ?? 0, live: wf?.live ?? 0, limit: tenant?.workflows ?? null };
  return {
    plan: tenant?.plan ?? null,
    ingestRate: {
      perSecond: tenant?.rate ?? tenant?.ownRate ?? 0,
      burst: tenant?.burst ?? tenant?.ownBurst ?? 0,
    },
    events,
    actions,
    workflows: workflowUse,
    warnings: warnings(events, actions, workflowUse, now),
  };
}

function warnings(
  events: Usage['events'],
  actions: Omit<Usage['actions'], 'resetsAt'>,
  wf: Usage['workflows'],
  now: number,
): QuotaWarning[] {
  const out: QuotaWarning[] = [];
  const share = usageShare(events.used, events.limit);
  if (events.limit !== null && share >= 1)
    out.push({
      quota: 'events',
      over: true,
      message: `This workspace used its monthly quota of ${n(events.limit)} events: new events are refused until ${dayPeriod(nextMonthStart(now))} (UTC).`,
    });
  else if (events.limit !== null && share >= NEAR_QUOTA_SHARE)
    out.push({
      quota: 'events',
      over: false,
      message: `This workspace used ${Math.floor(share * 100)}% of its monthly quota of ${n(events.limit)} events; new events are refused once it is reached.`,
    });
  const actionShare = usageShare(actions.used, actions.limit);
  const then = actions.overQuota === 'hold' ? 'held for a later day' : 'not sent';
  if (actions.limit !== null && (actionShare >= 1 || actions.held > 0))
    out.push({
      quota: 'actions',
      over: true,
      message: `This workspace used today's quota of ${n(actions.limit)} actions: further actions are ${then} until ${dayPeriod(nextDayStart(now))} (UTC).`,
    });
  else if (actions.limit !== null && actionShare >= NEAR_QUOTA_SHARE)
    out.push({
      quota: 'actions',
      over: false,
      message: `This workspace used ${Math.floor(actionShare * 100)}% of today's quota of ${n(actions.limit)} actions; actions over it are ${then}.`,
    });
  if (wf.limit !== null && wf.used >= wf.limit)
    out.push({
      quota: 'workflows',
      over: wf.used > wf.limit,
      message: `This workspace has ${n(wf.used)} of the ${n(wf.limit)} workflows its plan allows: delete one to create another.`,
    });
  return out;
}
