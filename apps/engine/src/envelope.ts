import { z } from 'zod';

/** What ingestion writes to Kafka (see apps/web/src/ingest/envelope.ts): checked again here. */
export const EventEnvelope = z.object({
  v: z.literal(1),
  type: z.enum(['track', 'identify']),
  tenantId: z.uuid(),
  messageId: z.string().min(1).max(200),
  userId: z.string().min(1).max(256),
  anonymousId: z.string().optional(),
  event: z.string().min(1).max(200).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  traits: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
  timestamp: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
});
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type Parsed = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

/** Never throws: a malformed message becomes a reason for the dead-letter topic. */
export function parseEnvelope(value: Buffer | null): Parsed {
  if (!value || value.length === 0) return { ok: false, reason: 'empty message' };
  let raw: unknown;
  try {
    raw = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const parsed = EventEnvelope.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
    return { ok: false, reason: `not a Tripwire event: ${why}` };
  }
  if (parsed.data.type === 'track' && !parsed.data.event) return { ok: false, reason: 'track event without a name' };
  return { ok: true, envelope: parsed.data };
}

/** The rule data context's `event` (and `trigger`) shape. */
export interface EventData {
  name: string;
  userId: string;
  properties: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}

export function eventData(e: EventEnvelope): EventData {
  return {
    name: e.event ?? e.type,
    userId: e.userId,
    properties: e.properties ?? {},
    timestamp: e.timestamp,
    messageId: e.messageId,
  };
}
