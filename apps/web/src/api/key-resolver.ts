import { apiKeys, type Database, withTenant } from '@tripwire/db';
import { createListener, createLogger, type Logger } from '@tripwire/platform';
import { and, eq, sql } from 'drizzle-orm';
import { hashApiKey } from '../auth/api-keys.ts';

export interface ResolvedKey {
  tenantId: string;
  keyId: string;
  scope: 'ingest' | 'admin';
  /** The ingestion rate: the plan's, or the tenant's own. */
  ratePerSecond: number;
  burst: number;
  /** The plan's monthly event quota; null: none. */
  eventsPerMonth: number | null;
}

type Row = {
  tenant_id: string;
  key_id: string;
  scope: 'ingest' | 'admin';
  revoked: boolean;
  ingest_rate_per_second: number;
  ingest_burst: number;
  events_per_month: string | number | null;
};

export interface KeyResolverOptions {
  db: Database;
  /** Used for LISTEN: key changes anywhere evict the cache here at once. */
  connectionString: string;
  ttlMs?: number;
  touchEveryMs?: number;
  /** Cached lookups, valid and invalid keys alike; the oldest goes first when it is full. */
  maxEntries?: number;
  logger?: Logger;
}

/**
 * Finds the tenant behind an API key. Lookups are cached briefly (the hot ingestion path would
 * otherwise pay a query per request); revocations evict immediately through NOTIFY.
 */
export function createKeyResolver({
  db,
  connectionString,
  ttlMs = 30_000,
  touchEveryMs = 60_000,
  maxEntries = 10_000,
  logger = createLogger({ service: 'web', level: 'silent' }),
}: KeyResolverOptions) {
  const cache = new Map<string, { value: ResolvedKey | null; expires: number }>();
  const touched = new Map<string, number>();
  // Bumped by every eviction: a lookup that was in flight meanwhile may have read the key before
  // its revocation, so its answer is used but not cached.
  let evictions = 0;
  const evict = (hash: string) => {
    evictions++;
    cache.delete(hash);
  };
  const listener = createListener({
    connectionString,
    channel: 'tripwire_api_keys',
    logger,
    // '*': a plan or a tenant's plan changed (limits are part of every cached lookup).
    onNotification: (hash) => {
      if (hash !== '*') return evict(hash);
      evictions++;
      cache.clear();
    },
    // Notifications lost while away could hide a revocation: forget everything.
    onReconnect() {
      evictions++;
      cache.clear();
    },
  });

  async function lookup(hash: string): Promise<ResolvedKey | null> {
    const { rows } = await db.execute<Row>(sql`select * from tripwire_resolve_api_key(${hash})`);
    const row = rows[0];
    if (!row || row.revoked) return null;
    return {
      tenantId: row.tenant_id,
      keyId: row.key_id,
      scope: row.scope,
      ratePerSecond: row.ingest_rate_per_second,
      burst: row.ingest_burst,
      eventsPerMonth: row.events_per_month === null ? null : Number(row.events_per_month),
    };
  }

  function touch(key: ResolvedKey) {
    const now = Date.now();
    if ((touched.get(key.keyId) ?? 0) > now - touchEveryMs) return;
    touched.set(key.keyId, now);
    void withTenant(db, key.tenantId, (tx) =>
      tx
        .update(apiKeys)
        .set({ lastUsedAt: new Date() })
        .where(and(eq(apiKeys.tenantId, key.tenantId), eq(apiKeys.id, key.keyId))),
    ).catch(() => touched.delete(key.keyId));
  }

  return {
    start: () => listener.start(),
    stop: () => listener.stop(),
    async resolve(key: string): Promise<ResolvedKey | null> {
      const hash = hashApiKey(key);
      const now = Date.now();
      const hit = cache.get(hash);
      let value: ResolvedKey | null;
      // Without the listener a revocation could go unheard: no cache then.
      if (hit && hit.expires > now && listener.connected()) value = hit.value;
      else {
        const before = evictions;
        value = await lookup(hash);
        if (before === evictions) {
          // Re-inserted at the end; random keys from a scanner push out the oldest, never grow the map.
          cache.delete(hash);
          if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
          cache.set(hash, { value, expires: Date.now() + ttlMs });
        }
      }
      if (value) touch(value);
      return value;
    },
    /** For revocations made by this process: no need to wait for the notification. */
    evict,
    /** Cached lookups (the tests check the bound). */
    get size() {
      return cache.size;
    },
  };
}
export type KeyResolver = ReturnType<typeof createKeyResolver>;
