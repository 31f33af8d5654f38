import { type Database, eventCatalog, withTenant } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import type { EventEnvelope } from './envelope.ts';

const MAX_DEPTH = 3;
const MAX_PATHS = 50;
const REMEMBER_MS = 5 * 60_000;

/** Dotted paths of an object's leaves and sub-objects, a few levels deep ("cart.items"). */
export function propertyPaths(value: Record<string, unknown>, prefix = '', depth = 1, out: string[] = []): string[] {
  for (const [key, v] of Object.entries(value)) {
    if (out.length >= MAX_PATHS) break;
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (depth < MAX_DEPTH && v && typeof v === 'object' && !Array.isArray(v)) {
      propertyPaths(v as Record<string, unknown>, path, depth + 1, out);
    }
  }
  return out;
}

/**
 * Records what tenants send, for the editor's suggestions. Off the request's critical path and
 * deduplicated in memory, so a busy ingestion process writes a catalog row only for what it has
 * not seen in the last few minutes (plus a fresh sample event every few minutes per event name).
 */
export function createEventCatalog(db: Database) {
  const seen = new Map<string, number>();
  function fresh(key: string, now: number) {
    const at = seen.get(key);
    if (at && now - at < REMEMBER_MS) return false;
    if (seen.size > 200_000) seen.clear();
    seen.set(key, now);
    return true;
  }

  return {
    record(envelopes: EventEnvelope[]): void {
      const now = Date.now();
      const rows: (typeof eventCatalog.$inferInsert)[] = [];
      for (const e of envelopes) {
        if (e.type === 'track' && e.event) {
          if (fresh(`${e.tenantId}\u0000e\u0000${e.event}`, now)) {
            rows.push({
              tenantId: e.tenantId,
              kind: 'event',
              eventName: '',
              path: e.event,
              sample: { name: e.event, userId: e.userId, properties: e.properties ?? {}, timestamp: e.timestamp },
            });
          }
          for (const path of propertyPaths(e.properties ?? {})) {
            if (fresh(`${e.tenantId}\u0000p\u0000${e.event}\u0000${path}`, now))
              rows.push({ tenantId: e.tenantId, kind: 'property', eventName: e.event, path });
          }
        } else if (e.type === 'identify') {
          for (const trait of Object.keys(e.traits ?? {}).slice(0, MAX_PATHS)) {
            if (fresh(`${e.tenantId}\u0000t\u0000${trait}`, now))
              rows.push({ tenantId: e.tenantId, kind: 'trait', eventName: '', path: trait });
          }
        }
      }
      if (rows.length === 0) return;
      const byTenant = Map.groupBy(rows, (r) => r.tenantId);
      for (const [tenantId, tenantRows] of byTenant) {
        void withTenant(db, tenantId, (tx) =>
          tx
            .insert(eventCatalog)
            .values(tenantRows)
            .onConflictDoUpdate({
              target: [eventCatalog.tenantId, eventCatalog.kind, eventCatalog.eventName, eventCatalog.path],
              set: { lastSeen: sql`now()`, sample: sql`coalesce(excluded.sample, ${eventCatalog.sample})` },
            }),
        ).catch(() => {
          // Suggestions are a convenience: never fail or slow ingestion for them.
        });
      }
    },
  };
}
export type EventCatalog = ReturnType<typeof createEventCatalog>;
