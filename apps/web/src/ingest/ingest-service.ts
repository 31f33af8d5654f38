import { type Database, profiles, type TenantTx, withTenant } from '@tripwire/db';
import { consentFromContext } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import type { EventProducer } from '../kafka/kafka-client.ts';
import { mergeConsent } from '../services/consent.ts';
import { type EventEnvelope, kafkaKey, toEnvelope } from './envelope.ts';
import type { EventCatalog } from './event-catalog.ts';
import type { ValidMessage } from './messages.ts';
import type { SuppressionCheck } from './suppression.ts';

export interface IngestServiceOptions {
  db: Database;
  producer: EventProducer;
  catalog?: EventCatalog;
  /** Deleted users' events are dropped (see DELETE /v1/users/:userId). */
  suppression?: SuppressionCheck;
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

export function createIngestService({ db, producer, catalog, suppression }: IngestServiceOptions) {
  return {
    /**
     * Stores validated messages: produced to Kafka (acks=all) and, for identify, merged into
     * profiles. The profile write commits only after Kafka acknowledged, so a Kafka failure
     * leaves nothing half-written; the caller answers 503 and the client retries.
     */
    async accept(tenantId: string, messages: ValidMessage[], receivedAt = new Date()): Promise<EventEnvelope[]> {
      let envelopes = messages.map((m) => toEnvelope(tenantId, m, receivedAt));
      // A deleted user's events are dropped, as if never sent: nothing of them is stored anywhere.
      const suppressed = await suppression?.suppressed(tenantId, [...new Set(envelopes.map((e) => e.userId))]);
      if (suppressed && suppressed.size > 0) envelopes = envelopes.filter((e) => !suppressed.has(e.userId));
      if (envelopes.length === 0) return [];
      const out = envelopes.map((e) => ({ key: kafkaKey(e), value: JSON.stringify(e) }));
      const identifies = envelopes.filter((e) => e.type === 'identify');
      // Segment's consent shape on identify and track alike; stored before the event reaches the
      // engine, so the actions it triggers see it.
      const consents = envelopes.flatMap((e) => {
        const preferences = consentFromContext(e.context);
        return preferences ? [{ userId: e.userId, preferences }] : [];
      });
      if (identifies.length === 0 && consents.length === 0) {
        await producer.send(out);
      } else {
        await withTenant(db, tenantId, async (tx) => {
          if (identifies.length > 0) await mergeTraits(tx, tenantId, identifies);
          await mergeConsent(tx, tenantId, consents);
          await producer.send(out);
        });
      }
      catalog?.record(envelopes);
      return envelopes;
    },
  };
}
export type IngestService = ReturnType<typeof createIngestService>;
