import { type Database, profiles, type TenantTx, withTenant } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import type { EventProducer } from '../kafka/kafka-client.ts';
import { type EventEnvelope, kafkaKey, toEnvelope } from './envelope.ts';
import type { EventCatalog } from './event-catalog.ts';
import type { ValidMessage } from './messages.ts';

export interface IngestServiceOptions {
  db: Database;
  producer: EventProducer;
  catalog?: EventCatalog;
}

/** Merges identify traits into profiles, shallowly and in message order (Segment's semantics). */
async function mergeTraits(tx: TenantTx, tenantId: string, identifies: EventEnvelope[]) {
  const byUser = new Map<string, Record<string, unknown>>();
  for (const e of identifies) byUser.set(e.userId, { ...byUser.get(e.userId), ...e.traits });
  const rows = [...byUser].map(([userId, traits]) => ({ tenantId, userId, traits }));
  await tx
    .insert(profiles)
    .values(rows)
    .onConflictDoUpdate({
      target: [profiles.tenantId, profiles.userId],
      set: { traits: sql`${profiles.traits} || excluded.traits`, updatedAt: sql`now()` },
    });
}

export function createIngestService({ db, producer, catalog }: IngestServiceOptions) {
  return {
    /**
     * Stores validated messages: produced to Kafka (acks=all) and, for identify, merged into
     * profiles. The profile write commits only after Kafka acknowledged, so a Kafka failure
     * leaves nothing half-written; the caller answers 503 and the client retries.
     */
    async accept(tenantId: string, messages: ValidMessage[], receivedAt = new Date()): Promise<EventEnvelope[]> {
      const envelopes = messages.map((m) => toEnvelope(tenantId, m, receivedAt));
      const out = envelopes.map((e) => ({ key: kafkaKey(e), value: JSON.stringify(e) }));
      const identifies = envelopes.filter((e) => e.type === 'identify');
      if (identifies.length === 0) {
        await producer.send(out);
      } else {
        await withTenant(db, tenantId, async (tx) => {
          await mergeTraits(tx, tenantId, identifies);
          await producer.send(out);
        });
      }
      catalog?.record(envelopes);
      return envelopes;
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
