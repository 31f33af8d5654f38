import { z } from 'zod';
import { regexes } from 'zod/v4/core';
import type { EventData } from '../runtime/types.ts';
import { MAX_EVENT_NAME_LENGTH, MAX_MESSAGE_ID_LENGTH, MAX_USER_ID_LENGTH } from './limits.ts';
import { describeTextIssue, findTextIssue, mayHoldUnstorableText, timestampProblem } from './text-policy.ts';

// The Kafka event envelope: what ingestion (apps/web) produces to the events topic and the engine
// consumes. JSON value, key `tenantId:userId` (eventKey). Versioned (`v`) so both sides can tell
// formats apart as they evolve.

// The text and date policy ingestion applies (text-policy.ts), checked again: an event with text
// or a date Postgres cannot store is dead-lettered with the reason instead of failing its batch.
const storableDate = (value: string) => timestampProblem(value) === undefined;
const DATE_MESSAGE = 'must be a date between the years 0001 and 9999';

export const EventEnvelope = z
  .object({
    v: z.literal(1),
    type: z.enum(['track', 'identify']),
    tenantId: z.uuid(),
    messageId: z.string().min(1).max(MAX_MESSAGE_ID_LENGTH),
    /** userId, or anonymousId for anonymous users: the key state is kept under. */
    userId: z.string().min(1).max(MAX_USER_ID_LENGTH),
    anonymousId: z.string().optional(),
    event: z.string().min(1).max(MAX_EVENT_NAME_LENGTH).optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
    traits: z.record(z.string(), z.unknown()).optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    timestamp: z.iso.datetime({ offset: true }).refine(storableDate, DATE_MESSAGE),
    receivedAt: z.iso.datetime({ offset: true }).refine(storableDate, DATE_MESSAGE),
  })
  .superRefine((envelope, ctx) => {
    const issue = findTextIssue(envelope);
    if (issue) ctx.addIssue({ code: 'custom', path: issue.path, message: describeTextIssue({ ...issue, path: [] }) });
  });
export type EventEnvelope = z.infer<typeof EventEnvelope>;

export type ParsedEnvelope = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

/** The Kafka key: one user's events stay ordered on one partition (the engine's keyBy). */
export const eventKey = (tenantId: string, userId: string) => `${tenantId}:${userId}`;

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
 * together. Like the schema, it keeps only the envelope's own keys. Given the JSON text `raw` was
 * parsed from, it walks the strings only when the text has an escape that can decode to unstorable
 * text (mayHoldUnstorableText), which messages from ingestion never have.
 */
export function quickEnvelope(raw: unknown, json?: string): EventEnvelope | undefined {
  if (!isRecord(raw) || raw.v !== 1) return undefined;
  const { type, tenantId, messageId, userId, anonymousId, event, properties, traits, context, timestamp, receivedAt } =
    raw;
  if (type !== 'track' && type !== 'identify') return undefined;
  if (typeof tenantId !== 'string' || !UUID.test(tenantId)) return undefined;
  if (!text(messageId, MAX_MESSAGE_ID_LENGTH) || !text(userId, MAX_USER_ID_LENGTH)) return undefined;
  if (anonymousId !== undefined && typeof anonymousId !== 'string') return undefined;
  if (event !== undefined && !text(event, MAX_EVENT_NAME_LENGTH)) return undefined;
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

/** Never throws: a malformed message becomes a reason (the engine's dead-letter record). */
export function parseEnvelope(json: string | undefined): ParsedEnvelope {
  if (!json) return { ok: false, reason: 'empty message' };
  let raw: unknown;
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

/** The rule context's `event` (and `trigger`). */
export function eventData(e: EventEnvelope): EventData {
  return {
    name: e.event ?? e.type,
    userId: e.userId,
    properties: e.properties ?? {},
    timestamp: e.timestamp,
    messageId: e.messageId,
  };
}
