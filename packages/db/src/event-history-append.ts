import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TENANT_SETTING } from './schema/tenant-policy.ts';

// The event history's bulk write (decision 040). One archiver batch, across tenants, in one
// transaction, each tenant's rows inserted as that tenant (row-level security checks them).
//
// Effectively once, cheaply: a batch is first inserted plainly; only when that meets a row already
// stored (unique violation on the primary key: a batch redelivered after a crash or a rebalance,
// which is rare) does it go again from a savepoint with ON CONFLICT DO NOTHING, which skips what is
// there. ON CONFLICT on every row cost about a third more Postgres CPU per row (a speculative
// insertion: an extra index probe and an extra WAL record per row).
//
// Two ways to get the rows to Postgres:
// - `copy`: COPY (text format) into a temporary staging table on the connection, then one
//   INSERT … SELECT per tenant. COPY cannot write event_history itself: Postgres refuses COPY FROM
//   into a table under row-level security, and it has no ON CONFLICT.
// - `json`: the rows as one JSON parameter per tenant, unpacked by json_to_recordset. Fewer round
//   trips, so it is what small batches use.
// `json-on-conflict` is the write path before decision 040 (JSON, ON CONFLICT on every row); the
// benchmark measures it side by side.

/** A row as the store writes it (the tenant is the group's). */
export interface AppendRow {
  userId: string;
  receivedAt: string;
  messageId: string;
  type: string;
  event: string | null;
  timestamp: string;
  properties: Record<string, unknown> | null;
}

export type AppendStrategy = 'copy' | 'json' | 'json-on-conflict';

/** Below this many rows a batch goes as JSON: COPY's extra round trips cost more than they save. */
export const COPY_MIN_ROWS = 200;

const STAGE = 'tripwire_history_stage';
// ON COMMIT DELETE ROWS: every transaction starts with an empty stage, without a TRUNCATE's new file.
// `g` is the tenant's group in the batch; its index keeps each tenant's INSERT from scanning all rows.
const CREATE_STAGE = `create temp table if not exists ${STAGE} (
  g integer not null, user_id text not null, received_at timestamptz not null, message_id text not null,
  type text not null, event text, timestamp timestamptz not null, properties jsonb
) on commit delete rows;
create index if not exists ${STAGE}_g on ${STAGE} (g)`;
const COPY_STAGE = `copy ${STAGE} (g, user_id, received_at, message_id, type, event, timestamp, properties) from stdin`;
// A tenant deleted since its events were produced keeps nothing (and fails no batch).
const INSERT_FROM_STAGE = `insert into event_history (tenant_id, user_id, received_at, message_id, type, event, timestamp, properties)
  select $2::uuid, user_id, received_at, message_id, type, event, timestamp, properties from pg_temp.${STAGE}
  where g = $1 and exists (select 1 from tenants where id = $2::uuid)`;
const INSERT_FROM_JSON = `insert into event_history (tenant_id, user_id, received_at, message_id, type, event, timestamp, properties)
  select $1::uuid, r.u, r.r, r.m, r.y, r.e, r.t, r.p
  from json_to_recordset($2::json) as r(u text, r timestamptz, m text, y text, e text, t timestamptz, p jsonb)
  where exists (select 1 from tenants where id = $1::uuid)`;
const SKIP_STORED = ' on conflict do nothing';
const ACT_AS = `select set_config('${TENANT_SETTING}', $1, true)`;

// COPY's text format: backslash, newline, carriage return and tab are escaped; \N is null.
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const field = (v: string | null) =>
  v === null ? '\\N' : SPECIAL.test(v) ? v.replace(SPECIALS, (c) => ESCAPED[c] as string) : v;

/** COPY text of the groups' rows, in pieces of about 1 MB (one socket write each). */
function copyChunks(groups: readonly (readonly AppendRow[])[]): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  groups.forEach((rows, g) => {
    for (const r of rows) {
      const line = `${g}\t${field(r.userId)}\t${r.receivedAt}\t${field(r.messageId)}\t${field(r.type)}\t${field(r.event)}\t${r.timestamp}\t${field(r.properties === null ? null : JSON.stringify(r.properties))}\n`;
      lines.push(line);
      size += line.length;
      if (size >= 1 << 20) {
        chunks.push(lines.join(''));
        lines = [];
        size = 0;
      }
    }
  });
  if (lines.length > 0) chunks.push(lines.join(''));
  return chunks;
}

/** Connections whose temporary stage exists (a pooled client is the same object for its connection). */
const staged = new WeakSet<pg.PoolClient>();

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/** Stages the groups' rows with COPY; returns the insert of group g (plainly, or skipping stored rows). */
async function stage(client: pg.PoolClient, tenants: readonly string[], groups: readonly (readonly AppendRow[])[]) {
  if (!staged.has(client)) await client.query(CREATE_STAGE);
  const stream = client.query(copyFrom(COPY_STAGE));
  for (const chunk of copyChunks(groups)) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await finished(stream);
  return (g: number, skipStored: boolean) =>
    client.query({
      name: skipStored ? 'history-from-stage-skip' : 'history-from-stage',
      text: skipStored ? INSERT_FROM_STAGE + SKIP_STORED : INSERT_FROM_STAGE,
      values: [g, tenants[g]],
    });
}

function asJson(tenants: readonly string[], groups: readonly (readonly AppendRow[])[]) {
  const json = groups.map((rows) =>
    JSON.stringify(
      rows.map((e) => ({
        u: e.userId,
        r: e.receivedAt,
        m: e.messageId,
        y: e.type,
        e: e.event,
        t: e.timestamp,
        p: e.properties,
      })),
    ),
  );
  return (client: pg.PoolClient) => (g: number, skipStored: boolean) =>
    client.query({
      name: skipStored ? 'history-from-json-skip' : 'history-from-json',
      text: skipStored ? INSERT_FROM_JSON + SKIP_STORED : INSERT_FROM_JSON,
      values: [tenants[g], json[g]],
    });
}

/**
 * Inserts each tenant's rows as that tenant, all in one transaction; returns the rows added (rows
 * already stored are skipped). `strategy` forces a way (benchmarks compare them); by default COPY
 * from COPY_MIN_ROWS rows on, JSON below.
 */
export async function appendRows(
  pool: pg.Pool,
  byTenant: ReadonlyMap<string, readonly AppendRow[]>,
  strategy?: AppendStrategy,
): Promise<number> {
  const tenants = [...byTenant.keys()];
  const groups = [...byTenant.values()];
  let total = 0;
  for (const rows of groups) total += rows.length;
  const how = strategy ?? (total >= COPY_MIN_ROWS ? 'copy' : 'json');
  // Made before a connection is taken: the pool's connections are for Postgres work only.
  const json = how === 'copy' ? undefined : asJson(tenants, groups);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('begin');
    const insert = json ? json(client) : await stage(client, tenants, groups);
    const insertAll = async (skipStored: boolean) => {
      let added = 0;
      for (let g = 0; g < tenants.length; g++) {
        await client.query(ACT_AS, [tenants[g]]);
        added += (await insert(g, skipStored)).rowCount ?? 0;
      }
      return added;
    };
    let added: number;
    if (how === 'json-on-conflict') added = await insertAll(true);
    else {
      await client.query('savepoint plain');
      try {
        added = await insertAll(false);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Some of the batch is stored already (a redelivery): insert again, skipping those rows.
        await client.query('rollback to savepoint plain');
        added = await insertAll(true);
      }
    }
    await client.query('commit');
    if (how === 'copy') staged.add(client);
    return added;
  } catch (error) {
    await client.query('rollback').catch((e: Error) => {
      broken = e;
    });
    throw error;
  } finally {
    // A connection that cannot even roll back is dropped, not pooled.
    client.release(broken);
  }
}
