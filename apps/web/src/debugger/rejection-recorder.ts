import { createHash } from 'node:crypto';
import { type Database, ingestRejections, withTenant } from '@tripwire/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { keyFromRequest } from '../api/auth.ts';
import { HttpError } from '../api/http-error.ts';
import type { ResolvedKey } from '../api/key-resolver.ts';

export interface Rejection {
  status: number;
  code: string;
  reason: string;
  endpoint: string;
  tenantId?: string;
  /** The start of the API key the request carried, when it had one. */
  keyPrefix?: string;
  count?: number;
}

export interface RejectionRecorderOptions {
  db: Database;
  flushMs?: number;
  /** Rows kept per tenant (one per reason and minute); the oldest go first. */
  maxRowsPerTenant?: number;
  /** Distinct (tenant, reason) groups held between two flushes; more are counted, not stored. */
  maxGroups?: number;
  retentionMs?: number;
  /** Told about every refused attempt, attributed or not (metrics). */
  onRejected?(r: { status: number; code: string; attributed: boolean }, count: number): void;
  onError?(error: unknown): void;
}

/** What the Keys page shows of a key: enough to tell keys apart and to find their workspace. */
export const KEY_PREFIX_CHARS = 12;
const MAX_REASON = 300;

interface Group {
  r: Rejection;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

/** One row per tenant, reason and minute: a later flush in the same minute adds to its count. */
function rowId(tenantId: string, r: Rejection, at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  const h = createHash('sha256')
    .update([tenantId, r.status, r.code, r.reason, r.endpoint, r.keyPrefix ?? '', minute].join('\u0000'))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Records refused ingestion attempts for the event debugger without touching the request path:
 * `record` only counts in memory; a timer writes the counts once a second, in one transaction per
 * tenant, and prunes what is older than an hour. Requests whose key is unknown are attributed by
 * the key's visible prefix when exactly one workspace has keys with it; a random key cannot be
 * attributed to anyone and is only counted in the metrics.
 */
export function createRejectionRecorder({
  db,
  flushMs = 1000,
  maxRowsPerTenant = 200,
  maxGroups = 1000,
  retentionMs = 60 * 60_000,
  onRejected = () => {},
  onError = () => {},
}: RejectionRecorderOptions) {
  let groups = new Map<string, Group>();
  let flushTimer: NodeJS.Timeout | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function record(r: Rejection) {
    const count = r.count ?? 1;
    onRejected({ status: r.status, code: r.code, attributed: Boolean(r.tenantId || r.keyPrefix) }, count);
    if (!r.tenantId && !r.keyPrefix) return;
    const reason = r.reason.length > MAX_REASON ? `${r.reason.slice(0, MAX_REASON)}…` : r.reason;
    const key = [r.tenantId ?? '', r.keyPrefix ?? '', r.status, r.code, r.endpoint, reason].join('\u0000');
    const now = new Date();
    const group = groups.get(key);
    if (group) {
      group.count += count;
      group.lastAt = now;
    } else if (groups.size < maxGroups) {
      groups.set(key, { r: { ...r, reason }, count, firstAt: now, lastAt: now });
    }
  }

  async function attribute(pending: Group[]): Promise<Map<string, string>> {
    const prefixes = [...new Set(pending.filter((g) => !g.r.tenantId).map((g) => g.r.keyPrefix as string))];
    if (prefixes.length === 0) return new Map();
    const { rows } = await db.execute<{ prefix: string; tenant_id: string }>(
      // Prefixes are base64url (attribution() checks), so the array literal needs no quoting.
      sql`select * from tripwire_tenants_by_key_prefix(${`{${prefixes.join(',')}}`}::text[])`,
    );
    return new Map(rows.map((r) => [r.prefix, r.tenant_id]));
  }

  async function write(batch: Group[]) {
    const tenantOf = await attribute(batch);
    const byTenant = new Map<string, Group[]>();
    for (const g of batch) {
      const tenantId = g.r.tenantId ?? tenantOf.get(g.r.keyPrefix as string);
      if (!tenantId) continue;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), g]);
    }
    // One tenant at a time: this is background work and must not take the pool from requests.
    for (const [tenantId, tenantGroups] of byTenant) {
      await withTenant(db, tenantId, async (tx) => {
        await tx
          .insert(ingestRejections)
          .values(
            tenantGroups.map((g) => ({
              tenantId,
              id: rowId(tenantId, g.r, g.firstAt),
              firstAt: g.firstAt,
              lastAt: g.lastAt,
              status: g.r.status,
              code: g.r.code,
              reason: g.r.reason,
              endpoint: g.r.endpoint,
              keyPrefix: g.r.keyPrefix ?? null,
              count: g.count,
            })),
          )
          .onConflictDoUpdate({
            target: [ingestRejections.tenantId, ingestRejections.id],
            set: {
              count: sql`${ingestRejections.count} + excluded.count`,
              lastAt: sql`greatest(${ingestRejections.lastAt}, excluded.last_at)`,
            },
          });
        const overflow = tx
          .select({ id: ingestRejections.id })
          .from(ingestRejections)
          .where(eq(ingestRejections.tenantId, tenantId))
          .orderBy(sql`${ingestRejections.lastAt} desc`)
          .offset(maxRowsPerTenant);
        await tx
          .delete(ingestRejections)
          .where(and(eq(ingestRejections.tenantId, tenantId), inArray(ingestRejections.id, overflow)));
      });
    }
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      if (groups.size === 0) return;
      const batch = [...groups.values()];
      groups = new Map();
      await write(batch).catch(onError);
    });
    return flushing;
  }

  const prune = () =>
    db
      .execute(sql`select tripwire_prune_ingest_rejections(${new Date(Date.now() - retentionMs)})`)
      .then(() => {})
      .catch(onError);

  /** An error middleware for the ingestion routes: notes the error the client is about to get. */
  const errorHook: ErrorRequestHandler = (error, req, res, next) => {
    const { status, code, message } = describe(error);
    record({ status, code, reason: message, endpoint: endpointOf(req), ...attribution(req, res) });
    next(error);
  };

  return {
    record,
    errorHook,

    /** Messages of a /batch or /import that were refused while the rest was stored. */
    messages(req: Request, res: Response, count: number, reasons: string[]) {
      const reason = reasons.length > 0 ? `${count} refused; first: ${reasons[0]}` : `${count} refused`;
      record({
        status: 400,
        code: 'invalid_messages',
        reason,
        endpoint: endpointOf(req),
        count,
        ...attribution(req, res),
      });
    },

    /**
     * Events the tracking plan let through (flag) or repaired (drop): stored, so recorded with
     * status 202 and their own code, for the event debugger to show next to refusals.
     */
    planViolations(req: Request, res: Response, reasons: string[]) {
      for (const reason of reasons.slice(0, 20))
        record({ status: 202, code: 'plan_violation', reason, endpoint: endpointOf(req), ...attribution(req, res) });
    },

    start() {
      flushTimer = setInterval(() => void flush(), flushMs);
      flushTimer.unref();
      pruneTimer = setInterval(() => void prune(), 5 * 60_000);
      pruneTimer.unref();
      void prune();
    },
    flush,
    prune,
    async stop() {
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      await flush();
    },
  };
}
export type RejectionRecorder = ReturnType<typeof createRejectionRecorder>;

/** "/v1/track", wherever the router handling it was mounted. */
const endpointOf = (req: Request) => `${req.baseUrl}${req.path}`.replace(/\/+$/, '');

function attribution(req: Request, res: Response): { tenantId?: string; keyPrefix?: string } {
  const auth = res.locals.auth as ResolvedKey | undefined;
  const key = keyFromRequest(req);
  // Our keys are tw_xx_ + base64url; anything else is not a key of ours and says nothing.
  const prefix = key?.slice(0, KEY_PREFIX_CHARS);
  const keyPrefix = prefix && /^tw_[a-z]{2}_[A-Za-z0-9_-]+$/.test(prefix) ? prefix : undefined;
  return { ...(auth ? { tenantId: auth.tenantId } : {}), ...(keyPrefix ? { keyPrefix } : {}) };
}

/** The status, code and message errorHandler (http-error.ts) answers with. */
function describe(error: unknown): { status: number; code: string; message: string } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  const e = error as { status?: unknown; type?: unknown; limit?: unknown } | undefined;
  if (e?.type === 'entity.too.large')
    return { status: 413, code: 'payload_too_large', message: `Request body is over ${e.limit} bytes` };
  if (e?.type === 'entity.parse.failed')
    return { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON' };
  const status = typeof e?.status === 'number' ? e.status : 500;
  return status < 500
    ? { status, code: 'bad_request', message: 'Bad request' }
    : { status: 500, code: 'internal', message: 'Something went wrong on our side' };
}
