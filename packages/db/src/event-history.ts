import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from './client.ts';
import { type AppendStrategy, appendRows } from './event-history-append.ts';
import type { TenantTx } from './tenant.ts';

// The event history store (issue 14, decision 036): every accepted event per tenant for a retention
// window, read by user and time or by event name and time. One small interface so the embedded
// Postgres store (daily partitions on received_at, dropped whole) can be swapped for an analytical
// store at scale; nothing outside this file knows its SQL.

export interface StoredEvent {
  tenantId: string;
  userId: string;
  messageId: string;
  type: 'track' | 'identify';
  /** The event name (null for identify). */
  event: string | null;
  /** When it happened, as the sender said (ISO). */
  timestamp: string;
  /** When ingestion accepted it (ISO): the order and clock replays run on. */
  receivedAt: string;
  /** Track properties, or identify traits. */
  properties: Record<string, unknown> | null;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** Where a scan by name stopped: the next page starts after it. */
export interface HistoryCursor {
  receivedAt: string;
  userId: string;
  messageId: string;
}

export interface EventHistoryStore {
  /** The instance's longest retention (days); a tenant may keep less. */
  readonly maxDays: number;
  /** Stores events, across tenants, in one transaction; an event already stored is skipped. Returns rows added. */
  append(events: readonly StoredEvent[]): Promise<number>;
  /** One user's events in `range`, oldest first, at most `limit`. */
  byUser(tx: TenantTx, tenantId: string, userId: string, range: TimeRange, limit: number): Promise<StoredEvent[]>;
  /** Events with one of `names` in `range`, oldest first, a page of at most `limit` after `after`. */
  byName(
    tx: TenantTx,
    tenantId: string,
    names: readonly string[],
    range: TimeRange,
    limit: number,
    after?: HistoryCursor,
  ): Promise<StoredEvent[]>;
  /** How many events with one of `names` are in `range` (a backtest's progress denominator). */
  countByName(tx: TenantTx, tenantId: string, names: readonly string[], range: TimeRange): Promise<number>;
  /** Whether the tenant has any event in `range`. */
  hasAny(tx: TenantTx, tenantId: string, range: TimeRange): Promise<boolean>;
  /** Whether `userId` has any event kept at all (an unknown user gets a clear answer). */
  knowsUser(tx: TenantTx, tenantId: string, userId: string, since: Date): Promise<boolean>;
  /** The tenant's retention: days kept and the oldest instant still readable at `now`. */
  retention(tx: TenantTx, tenantId: string, now: Date): Promise<{ days: number; from: Date }>;
  /** Deletes one user's history (user deletion calls this). Returns rows deleted. */
  deleteUser(tx: TenantTx, tenantId: string, userId: string): Promise<number>;
  /** Makes today's and tomorrow's partitions, drops days past the maximum, expires shorter tenant windows. */
  maintain(now: Date): Promise<{ created: number; dropped: string[]; expired: number }>;
}

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);

type Row = {
  tenant_id: string;
  user_id: string;
  message_id: string;
  type: string;
  event: string | null;
  timestamp_iso: string;
  received_at_iso: string;
  properties: Record<string, unknown> | null;
};

// The times as toISOString() writes them, formatted by Postgres: reads return thousands of rows,
// and parsing each timestamp into a Date only to print it again cost more than the query. Named
// apart from the columns, so ORDER BY received_at still means the column (and its index).
const isoOf = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}_iso`;
const ISO_TIMES = sql.raw(`${isoOf('timestamp')}, ${isoOf('received_at')}`);

function toEvent(r: Row): StoredEvent {
  return {
    tenantId: r.tenant_id,
    userId: r.user_id,
    messageId: r.message_id,
    type: r.type === 'identify' ? 'identify' : 'track',
    event: r.event,
    timestamp: r.timestamp_iso,
    receivedAt: r.received_at_iso,
    properties: r.properties,
  };
}

/** Deletes one user's event history; the user-deletion path (DELETE /v1/users) calls it in its transaction. */
export async function deleteUserHistory(tx: TenantTx, tenantId: string, userId: string): Promise<number> {
  const result = await tx.execute(
    sql`delete from event_history where tenant_id = ${tenantId}::uuid and user_id = ${userId}`,
  );
  return result.rowCount ?? 0;
}

export interface PostgresHistoryOptions {
  /** The instance's longest retention in days (HISTORY_MAX_DAYS). */
  maxDays: number;
  /** Rows one expiry pass deletes per tenant at most (keeps the hourly job short). */
  expireLimit?: number;
  /** How append writes (default: COPY for bulk batches, JSON for small ones); benchmarks force one. */
  strategy?: AppendStrategy;
}

/** The embedded store: Postgres, one partition per UTC day of received_at. */
export function postgresEventHistory(db: Database, options: PostgresHistoryOptions): EventHistoryStore {
  const { maxDays } = options;
  const made = new Set<string>();
  // The bulk write takes a connection of its own for COPY: the pool drizzle runs on.
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) throw new TypeError('postgresEventHistory: the database must run on a pg Pool');

  async function ensureDays(days: Iterable<string>) {
    for (const day of days) {
      if (made.has(day)) continue;
      await db.execute(sql`select tripwire_history_partitions(${day}::date, 1)`);
      made.add(day);
    }
  }

  return {
    maxDays,
    async append(events) {
      // Older than any tenant keeps, or more than a day ahead (a wrong clock): not kept.
      const now = Date.now();
      const oldest = now - maxDays * DAY;
      const byTenant = new Map<string, StoredEvent[]>();
      const days = new Set<string>();
      for (const e of events) {
        const at = Date.parse(e.receivedAt);
        if (!(at >= oldest && at < now + DAY)) continue;
        days.add(dayOf(at));
        const list = byTenant.get(e.tenantId);
        if (list) list.push(e);
        else byTenant.set(e.tenantId, [e]);
      }
      if (byTenant.size === 0) return 0;
      await ensureDays(days);
      return appendRows(pool, byTenant, options.strategy);
    },
    async byUser(tx, tenantId, userId, range, limit) {
      const { rows } = await tx.execute<Row>(sql`
        select tenant_id, user_id, message_id, type, event, ${ISO_TIMES}, properties from event_history
        where tenant_id = ${tenantId}::uuid and user_id = ${userId}
          and received_at >= ${range.from.toISOString()}::timestamptz and received_at < ${range.to.toISOString()}::timestamptz
        order by received_at, message_id limit ${limit}`);
      return rows.map(toEvent);
    },
    async byName(tx, tenantId, names, range, limit, after) {
      const cursor = after
        ? sql`and (received_at, user_id, message_id) > (${after.receivedAt}::timestamptz, ${after.userId}, ${after.messageId})`
        : sql``;
      const { rows } = await tx.execute<Row>(sql`
        select tenant_id, user_id, message_id, type, event, ${ISO_TIMES}, properties from event_history
        where tenant_id = ${tenantId}::uuid and event in (select json_array_elements_text(${JSON.stringify(names)}::json))
          and received_at >= ${range.from.toISOString()}::timestamptz and received_at < ${range.to.toISOString()}::timestamptz
          ${cursor}
        order by received_at, user_id, message_id limit ${limit}`);
      return rows.map(toEvent);
    },
    async countByName(tx, tenantId, names, range) {
      const { rows } = await tx.execute<{ n: string }>(sql`
        select count(*) as n from event_history
        where tenant_id = ${tenantId}::uuid and event in (select json_array_elements_text(${JSON.stringify(names)}::json))
          and received_at >= ${range.from.toISOString()}::timestamptz and received_at < ${range.to.toISOString()}::timestamptz`);
      return Number(rows[0]?.n ?? 0);
    },
    async hasAny(tx, tenantId, range) {
      const { rows } = await tx.execute(sql`
        select 1 from event_history where tenant_id = ${tenantId}::uuid
          and received_at >= ${range.from.toISOString()}::timestamptz and received_at < ${range.to.toISOString()}::timestamptz
        limit 1`);
      return rows.length > 0;
    },
    async knowsUser(tx, tenantId, userId, since) {
      const { rows } = await tx.execute(sql`
        select 1 from event_history where tenant_id = ${tenantId}::uuid and user_id = ${userId}
          and received_at >= ${since.toISOString()}::timestamptz limit 1`);
      return rows.length > 0;
    },
    async retention(tx, tenantId, now) {
      const { rows } = await tx.execute<{ days: number }>(
        sql`select history_retention_days as days from tenants where id = ${tenantId}::uuid`,
      );
      const days = Math.min(maxDays, Math.max(1, Number(rows[0]?.days ?? maxDays)));
      return { days, from: new Date(now.getTime() - days * DAY) };
    },
    deleteUser: deleteUserHistory,
    async maintain(now) {
      const today = dayOf(now.getTime());
      const { rows: createdRows } = await db.execute<{ n: number }>(
        sql`select tripwire_history_partitions(${today}::date, 2) as n`,
      );
      made.add(today);
      // A day partition goes once all of it is older than the maximum window.
      const before = dayOf(now.getTime() - maxDays * DAY);
      const { rows: dropped } = await db.execute<{ name: string }>(
        sql`select tripwire_history_drop_before(${before}::date) as name`,
      );
      for (const d of dropped) made.delete(`${d.name.slice(14, 18)}-${d.name.slice(18, 20)}-${d.name.slice(20, 22)}`);
      const { rows: expired } = await db.execute<{ n: string }>(
        sql`select tripwire_history_expire(${now.toISOString()}::timestamptz, ${maxDays}, ${options.expireLimit ?? 100_000}) as n`,
      );
      return {
        created: Number(createdRows[0]?.n ?? 0),
        dropped: dropped.map((d) => d.name),
        expired: Number(expired[0]?.n ?? 0),
      };
    },
  };
}
