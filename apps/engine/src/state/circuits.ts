import { type Database, endpointCircuits, withTenant } from '@tripwire/db';
import { splitEndpointGroup } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from '../logger.ts';

export interface CircuitOptions {
  /** Failed deliveries in a row (in this engine) that open an endpoint's circuit. */
  failures: number;
  /** The first pause; it doubles each time the circuit opens again without a success between. */
  pauseMs: number;
  maxPauseMs: number;
  /** How often the open circuits of all engines are read back. */
  refreshMs?: number;
}

/**
 * Circuit breakers per endpoint (pg-boss group `tenantId|origin`), kept in `endpoint_circuits` so
 * every engine honours a circuit any engine opened. Deliveries are never dropped by it: a paused
 * endpoint's jobs stay queued, left out of the fetches (`paused()` feeds pg-boss's ignoreGroups),
 * until the pause ends; then the next delivery decides. Failures are counted per engine in memory
 * (only the opening is shared), so with E engines an endpoint may see up to E x `failures` failed
 * requests before every engine stops sending.
 */
export function createCircuitBreaker(db: Database, logger: Logger, options: CircuitOptions) {
  const refreshMs = options.refreshMs ?? 1000;
  /** Consecutive failures per group seen here. */
  const failing = new Map<string, number>();
  /** Open circuits as last read: group -> still paused. */
  let open = new Map<string, boolean>();
  /**
   * Circuits this engine opened, until when: a read that started before the opening committed must
   * not let the endpoint's jobs be fetched again, and neither may the moments the write takes.
   */
  const openedHere = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  async function refresh() {
    const { rows } = await db.execute<{ tenant_id: string; endpoint: string; paused: boolean }>(
      sql`select tenant_id::text, endpoint, paused from tripwire_open_endpoints()`,
    );
    open = new Map(rows.map((r) => [`${r.tenant_id}|${r.endpoint}`, r.paused]));
    const now = Date.now();
    for (const [group, until] of openedHere) {
      if (until <= now) openedHere.delete(group);
      else open.set(group, true);
    }
  }

  async function openCircuit(group: string, failures: number, error: string) {
    const parts = splitEndpointGroup(group);
    if (!parts) return;
    const { tenantId, endpoint } = parts;
    const pause = sql`make_interval(secs => least(${options.maxPauseMs / 1000}::float8, ${options.pauseMs / 1000}::float8 * power(2, greatest(${endpointCircuits.opens}, 0))))`;
    const [row] = await withTenant(db, tenantId, (tx) =>
      tx
        .insert(endpointCircuits)
        .values({
          tenantId,
          endpoint,
          state: 'open',
          failures,
          opens: 1,
          openedAt: sql`now()`,
          resumeAt: sql`now() + make_interval(secs => ${options.pauseMs / 1000}::float8)`,
          lastError: error.slice(0, 500),
        })
        .onConflictDoUpdate({
          target: [endpointCircuits.tenantId, endpointCircuits.endpoint],
          set: {
            state: 'open',
            failures,
            // Still open (a failed try after the pause): pause twice as long; closed: start over.
            opens: sql`case when ${endpointCircuits.state} = 'open' then ${endpointCircuits.opens} + 1 else 1 end`,
            openedAt: sql`now()`,
            resumeAt: sql`now() + case when ${endpointCircuits.state} = 'open' then ${pause} else make_interval(secs => ${options.pauseMs / 1000}::float8) end`,
            lastError: error.slice(0, 500),
            updatedAt: sql`now()`,
          },
        })
        .returning({ resumeAt: endpointCircuits.resumeAt }),
    );
    if (row?.resumeAt) openedHere.set(group, row.resumeAt.getTime());
    open.set(group, true);
    logger.warn({ tenantId, endpoint, failures }, 'endpoint circuit opened: deliveries paused');
  }

  async function closeCircuit(group: string) {
    const parts = splitEndpointGroup(group);
    if (!parts) return;
    const { tenantId, endpoint } = parts;
    await withTenant(db, tenantId, (tx) =>
      tx
        .update(endpointCircuits)
        .set({ state: 'closed', opens: 0, failures: 0, resumeAt: null, updatedAt: sql`now()` })
        .where(
          and(
            eq(endpointCircuits.tenantId, tenantId),
            eq(endpointCircuits.endpoint, endpoint),
            eq(endpointCircuits.state, 'open'),
          ),
        ),
    );
    open.delete(group);
    openedHere.delete(group);
    logger.info({ tenantId, endpoint }, 'endpoint circuit closed: delivering again');
  }

  return {
    async start() {
      await refresh();
      timer = setInterval(
        () => void refresh().catch((err: unknown) => logger.warn({ err }, 'could not read endpoint circuits')),
        refreshMs,
      );
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    /** Groups whose deliveries are paused now: left out of fetches. */
    paused(): string[] {
      return [...open].filter(([, p]) => p).map(([g]) => g);
    },
    isPaused: (group: string) => open.get(group) === true,
    /** A delivery to the group succeeded. */
    async succeeded(group: string) {
      failing.delete(group);
      if (open.has(group)) await closeCircuit(group);
    },
    /** A delivery to the group failed (any failure: a timeout, a 5xx, a 429, a refused connection). */
    async failed(group: string, error: string) {
      // Deliveries that were in flight when it opened: the pause already stands.
      if (open.get(group) === true) return;
      const n = (failing.get(group) ?? 0) + 1;
      failing.set(group, n);
      // A try after the pause failed: open again at once. Otherwise after `failures` in a row.
      const retrying = open.get(group) === false;
      if (retrying || n >= options.failures) {
        failing.delete(group);
        // Paused here at once, before the write: no fetch in between may take the endpoint's jobs.
        openedHere.set(group, Date.now() + options.pauseMs);
        open.set(group, true);
        await openCircuit(group, n, error);
      }
    },
  };
}
export type CircuitBreaker = ReturnType<typeof createCircuitBreaker>;
