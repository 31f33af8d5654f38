import { describeTextIssue, findTextIssue, mayHoldUnstorableText, timestampProblem } from '@tripwire/rules';
import { z } from 'zod';
import { regexes } from 'zod/v4/core';

// The text and date policy ingestion applies (@tripwire/rules wire/text-policy.ts), checked again:
// an event with text or a date Postgres cannot store is dead-lettered here with the reason,
// instead of failing its batch's transaction.
const storableDate = (value: string) => timestampProblem(value) === undefined;

/** What ingestion writes to Kafka (see apps/web/src/ingest/envelope.ts): checked again here. */
export const EventEnvelope = z
  .object({
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
    timestamp: z.iso.datetime({ offset: true }).refine(storableDate, 'must be a date between the years 0001 and 9999'),
    receivedAt: z.iso.datetime({ offset: true }).refine(storableDate, 'must be a date between the years 0001 and 9999'),
  })
  .superRefine((envelope, ctx) => {
    const issue = findTextIssue(envelope);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: describeTextIssue({ ...issue, path: [] }) });
  });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type Parsed = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

// zod's own patterns for z.uuid() and z.iso.datetime({ offset: true }), so both paths agree.
const UUID = regexes.uuid();
const DATETIME = regexes.datetime({ offset: true, local: false, precision: null });

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max;
const optionalRecord = (v: unknown) => v === undefined || isRecord(v);

/**
 * The envelope when `raw` is plainly well-formed, checked field by field (about 10x cheaper than
 * the zod schema, which every message would otherwise pay); undefined sends it to the schema, which
 * decides and explains. Stricter than the schema, never looser: a property test holds the two
 * together (envelope.test.ts). Like the schema, it keeps only the envelope's own keys. Given the
 * JSON text `raw` was parsed from, it walks the strings only when the text has an escape that can
 * decode to unstorable text (mayHoldUnstorableText), which messages from ingestion never have.
 */
export function quickEnvelope(raw: unknown, json?: string): EventEnvelope | undefined {
  if (!isRecord(raw) || raw.v !== 1) return undefined;
  const { type, tenantId, messageId, userId, anonymousId, event, properties, traits, context, timestamp, receivedAt } =
    raw;
  if (type !== 'track' && type !== 'identify') return undefined;
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) return undefined;
  if (!text(messageId, 200) || !text(userId, 256)) return undefined;
  if (anonymousId !== undefined && typeof anonymousId !== 'string') return undefined;
  if (event !== undefined && !text(event, 200)) return undefined;
  if (!optionalRecord(properties) || !optionalRecord(traits) || !optionalRecord(context)) return undefined;
  if (typeof timestamp !== 'string' || !DATETIME.test(timestamp) || !storableDate(timestamp)) return undefined;
  if (typeof receivedAt !== 'string' || !DATETIME.test(receivedAt) || !storableDate(receivedAt)) return undefined;
  if ((json === undefined || mayHoldUnstorableText(json)) && findTextIssue(raw) !== undefined) return undefined;
  const envelope: EventEnvelope = { v: 1, type, tenantId, messageId, userId, timestamp, receivedAt };
  if (anonymousId !== undefined) envelope.anonymousId = anonymousId;
  if (event !== undefined) envelope.event = event;
  if (properties !== undefined) envelope.properties = properties as Json;
  if (traits !== undefined) envelope.traits = traits as Json;
  if (context !== undefined) envelope.context = context as Json;
  return envelope;
}

/** Never throws: a malformed message becomes a reason for the dead-letter topic. */
export function parseEnvelope(value: Buffer | null): Parsed {
  if (!value || value.length === 0) return { ok: false, reason: 'empty message' };
  let raw: unknown;
  const json = value.toString('utf8');
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const quick = quickEnvelope(raw, json);
  if (quick) {
    if (quick.type === 'track' && !quick.event) return { ok: false, reason: 'track event without a name' };
    return { ok: true, envelope: quick };
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
