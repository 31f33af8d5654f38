import { type Database, withTenant, workflowVersions } from '@tripwire/db';
import { createListener } from '@tripwire/platform';
import { type ExecutionPlan, PlanLoadError, type Registry, routeEvent } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from './logger.ts';
import { createVersionProblems } from './state/version-problems.ts';
import { loadWorkflowPlan, type WorkflowPlan } from './workflow-plan.ts';

export interface Interest {
  plan: WorkflowPlan;
  nodeId: string;
}

export interface Route {
  triggers: Interest[];
  counts: Interest[];
  /**
   * Look up pending waiters: an active workflow of the tenant waits for this event name, or a
   * pending waiter does (a run on an older version, which must finish on the version it started on).
   */
  waits: boolean;
}

interface ActiveRow {
  tenant_id: string;
  workflow_id: string;
  version: number;
  plan: ExecutionPlan;
  [key: string]: unknown;
}

export interface WorkflowCacheOptions {
  db: Database;
  /** The node definitions of this release, by type@version. */
  registry: Registry;
  /** For LISTEN tripwire_workflows (publish, unpublish, rollback, delete). */
  connectionString: string;
  logger: Logger;
  resyncIntervalMs?: number;
}

/**
 * Every active published version, compiled, with an index per tenant from event name to the
 * nodes that care, so routing an event is two map lookups. Reloads one workflow on NOTIFY and
 * everything on a timer (the backstop for a lost notification). Older versions are loaded on
 * demand for runs that started on them.
 */
export function createWorkflowCache({
  db,
  registry,
  connectionString,
  logger,
  resyncIntervalMs = 60_000,
}: WorkflowCacheOptions) {
  const active = new Map<string, WorkflowPlan>(); // `${tenantId}:${workflowId}`
  const byTenant = new Map<string, Map<string, Route>>();
  const history = new Map<string, WorkflowPlan>(); // `${tenantId}:${workflowId}@${version}`
  const problems = createVersionProblems(db, logger);
  const awaited = new Map<string, Set<string>>(); // tenantId -> event names pending waiters await
  let timer: NodeJS.Timeout | undefined;
  let reloads = 0;

  function reindex(tenantId: string) {
    const index = new Map<string, Route>();
    for (const plan of active.values()) {
      if (plan.tenantId !== tenantId) continue;
      for (const eventName of Object.keys(plan.plan.events)) {
        const r = routeEvent(plan.plan, eventName);
        if (!r) continue;
        const route = index.get(eventName) ?? { triggers: [], counts: [], waits: false };
        for (const nodeId of r.triggers) route.triggers.push({ plan, nodeId });
        for (const nodeId of r.counts) route.counts.push({ plan, nodeId });
        if (r.waits.length > 0) route.waits = true;
        index.set(eventName, route);
      }
    }
    for (const eventName of awaited.get(tenantId) ?? []) {
      const route = index.get(eventName) ?? { triggers: [], counts: [], waits: false };
      route.waits = true;
      index.set(eventName, route);
    }
    if (index.size === 0) byTenant.delete(tenantId);
    else byTenant.set(tenantId, index);
  }

  function install(row: ActiveRow) {
    const key = { tenantId: row.tenant_id, workflowId: row.workflow_id, version: row.version };
    try {
      const plan = loadWorkflowPlan(registry, row.tenant_id, row.workflow_id, row.version, row.plan);
      active.set(`${row.tenant_id}:${row.workflow_id}`, plan);
      history.set(`${row.tenant_id}:${row.workflow_id}@${row.version}`, plan);
      problems.loaded(key);
    } catch (err) {
      // A version this release cannot run is not run, and says why; it never takes the others down.
      if (err instanceof PlanLoadError) problems.broken(key, err.problems);
      else logger.error({ err, ...key }, 'could not load workflow plan');
    }
  }

  async function loadAwaited(tenantId?: string) {
    const { rows } = await db.execute<{ tenant_id: string; event_name: string }>(
      tenantId === undefined
        ? sql`select * from tripwire_awaited_events()`
        : sql`select * from tripwire_awaited_events(${tenantId}::uuid)`,
    );
    if (tenantId === undefined) awaited.clear();
    else awaited.delete(tenantId);
    for (const row of rows) addAwaited(row.tenant_id, row.event_name);
  }

  /** True when the name is new for the tenant. */
  function addAwaited(tenantId: string, eventName: string): boolean {
    const names = awaited.get(tenantId) ?? new Set<string>();
    awaited.set(tenantId, names);
    if (names.has(eventName)) return false;
    names.add(eventName);
    return true;
  }

  async function loadAll() {
    const { rows } = await db.execute<ActiveRow>(sql`select * from tripwire_active_workflow_versions()`);
    await loadAwaited();
    await problems.sync();
    active.clear();
    for (const row of rows) install(row);
    // Tenants indexed before (whose routes may now go) and those with something to route now.
    const tenants = new Set([...byTenant.keys(), ...awaited.keys(), ...rows.map((row) => row.tenant_id)]);
    for (const tenantId of tenants) reindex(tenantId);
    reloads++;
    logger.debug({ workflows: active.size }, 'workflows loaded');
  }

  async function reloadOne(tenantId: string, workflowId: string) {
    const { rows } = await db.execute<ActiveRow>(
      sql`select * from tripwire_active_workflow_versions(${tenantId}::uuid, ${workflowId}::uuid)`,
    );
    await loadAwaited(tenantId);
    active.delete(`${tenantId}:${workflowId}`);
    for (const row of rows) install(row);
    reindex(tenantId);
    reloads++;
    logger.info({ tenantId, workflowId, version: rows[0]?.version ?? null }, 'workflow reloaded');
  }

  const listener = createListener({
    connectionString,
    channel: 'tripwire_workflows',
    logger,
    onNotification(payload) {
      try {
        const { tenantId, workflowId } = JSON.parse(payload) as { tenantId: string; workflowId: string };
        void reloadOne(tenantId, workflowId).catch((err: unknown) => logger.error({ err }, 'workflow reload failed'));
      } catch (err) {
        logger.warn({ err }, 'ignored a malformed workflow notification');
      }
    },
    // Notifications sent while the listener was away are lost: load everything again.
    onReconnect: () => loadAll(),
  });

  return {
    async start() {
      await listener.start();
      await loadAll();
      timer = setInterval(
        () => void loadAll().catch((err: unknown) => logger.error({ err }, 'resync failed')),
        resyncIntervalMs,
      );
      timer.unref();
    },
    async stop() {
      await problems.flush();
      clearInterval(timer);
      await listener.stop();
    },
    route(tenantId: string, eventName: string): Route | undefined {
      return byTenant.get(tenantId)?.get(eventName);
    },
    /** Whether `plan` is the version its workflow runs now (runs on older ones finish on theirs). */
    isActive(plan: WorkflowPlan): boolean {
      return active.get(`${plan.tenantId}:${plan.workflowId}`)?.version === plan.version;
    },
    /**
     * A waiter for `eventName` was registered in this process: route that name to waiters from now
     * on, even if no active workflow waits for it (other engines learn it from the caller's NOTIFY).
     */
    noteAwaited(tenantId: string, eventName: string) {
      if (addAwaited(tenantId, eventName)) reindex(tenantId);
    },
    /**
     * The plan a run started on, active or not; undefined when the version is gone. Throws
     * PlanLoadError when this release cannot run it (the run must fail, saying why).
     */
    async plan(tenantId: string, workflowId: string, version: number): Promise<WorkflowPlan | undefined> {
      const key = `${tenantId}:${workflowId}@${version}`;
      const hit = history.get(key);
      if (hit) return hit;
      const [row] = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ plan: workflowVersions.plan })
          .from(workflowVersions)
          .where(
            and(
              eq(workflowVersions.tenantId, tenantId),
              eq(workflowVersions.workflowId, workflowId),
              eq(workflowVersions.version, version),
            ),
          ),
      );
      if (!row) return undefined;
      const plan = loadWorkflowPlan(registry, tenantId, workflowId, version, row.plan as ExecutionPlan);
      if (history.size > 5000) history.clear();
      history.set(key, plan);
      return plan;
    },
    size: () => active.size,
    reloads: () => reloads,
    resync: () => loadAll(),
  };
}
export type WorkflowCache = ReturnType<typeof createWorkflowCache>;
