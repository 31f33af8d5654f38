// Segment-compatible message schemas (HTTP tracking API), validated per message.

// Text follows the shared policy (@tripwire/rules wire/text-policy.ts), so that a message accepted
// here is one the engine can process: identifiers (userId, anonymousId, messageId, event) and
// object keys holding a NUL or an unpaired surrogate are refused, naming the field; in the values
// of properties, traits and context those characters are replaced by U+FFFD, as a UTF-8 encoder
// does (an SDK that cut a string mid-emoji should not lose the event). Timestamps must lie within
// the years 0001-9999.
import {
  cleanTextValues,
  describeTextIssue,
  findTextIssue,
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  MAX_EVENT_NAME_LENGTH,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGE_DEPTH,
  MAX_MESSAGE_ID_LENGTH,
  MAX_USER_ID_LENGTH,
  textIssueMessage,
  textProblem,
  timestampProblem,
} from '@tripwire/rules';
import { z } from 'zod';

// The limits are the wire contract's (@tripwire/rules), shared with the engine.
export { MAX_BATCH_BYTES, MAX_BATCH_MESSAGES, MAX_MESSAGE_BYTES, MAX_MESSAGE_DEPTH };

/** Checked with an explicit stack: a deeply nested value would overflow a recursive walk (or JSON.stringify). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [v, depth] = item;
    if (!v || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** A string that can be stored (see textProblem); the issue says why not. */
function storable(value: string, ctx: z.RefinementCtx): void {
  const problem = textProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: textIssueMessage({ problem, inKey: false }) });
}

const id = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_USER_ID_LENGTH, `must be at most ${MAX_USER_ID_LENGTH} characters`)
      .superRefine(storable),
  );

const record = z.record(z.string(), z.unknown());

const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), 'must be an ISO-8601 date-time')
  .refine((s) => timestampProblem(s) === undefined, 'must be a date between the years 0001 and 9999')
  .transform((s) => new Date(s).toISOString());

const common = {
  userId: id.optional(),
  anonymousId: id.optional(),
  messageId: z.string().min(1).max(MAX_MESSAGE_ID_LENGTH).superRefine(storable).optional(),
  timestamp: timestamp.optional(),
  context: record.optional(),
};

const needsUser = <T extends { userId?: string; anonymousId?: string }>(m: T) =>
  m.userId !== undefined || m.anonymousId !== undefined;
const userMessage = { message: 'userId or anonymousId is required', path: ['userId'] };

export const TrackMessage = z
  .object({
    type: z.literal('track').optional(),
    ...common,
    event: z.string().trim().min(1, 'event is required').max(MAX_EVENT_NAME_LENGTH).superRefine(storable),
    properties: record.default({}),
  })
  .refine(needsUser, userMessage)
  .meta({ id: 'TrackMessage', description: 'A Segment track call: something a user did.' });

export const IdentifyMessage = z
  .object({
    type: z.literal('identify').optional(),
    ...common,
    traits: record.default({}),
  })
  .refine(needsUser, userMessage)
  .meta({
    id: 'IdentifyMessage',
    description: 'A Segment identify call: who a user is (traits merge into the profile).',
  });

export const BatchRequest = z
  .object({
    batch: z
      .array(z.unknown())
      .min(1, 'batch is empty')
      .max(MAX_BATCH_MESSAGES, `at most ${MAX_BATCH_MESSAGES} messages`),
    context: record.optional(),
  })
  .meta({ id: 'BatchRequest', description: 'Up to 500 track/identify messages (each with `type`), at most 500 KB.' });

export type TrackMessage = z.infer<typeof TrackMessage>;
export type IdentifyMessage = z.infer<typeof IdentifyMessage>;
export type ValidMessage = ({ type: 'track' } & TrackMessage) | ({ type: 'identify' } & IdentifyMessage);

export type Checked = { ok: true; message: ValidMessage } | { ok: false; reason: string; messageId?: string };

function reason(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** Validates one message; `expected` fixes the type for /v1/track and /v1/identify. */
export function checkMessage(
  raw: unknown,
  expected?: 'track' | 'identify',
  sharedContext?: Record<string, unknown>,
): Checked {
  const messageId =
    raw && typeof raw === 'object' && typeof (raw as { messageId?: unknown }).messageId === 'string'
      ? (raw as { messageId: string }).messageId
      : undefined;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { ok: false, reason: 'message must be a JSON object' };
  if (nestedDeeperThan(raw, MAX_MESSAGE_DEPTH)) {
    return { ok: false, reason: `message is nested deeper than ${MAX_MESSAGE_DEPTH} levels`, messageId };
  }
  if (JSON.stringify(raw).length > MAX_MESSAGE_BYTES) {
    return { ok: false, reason: `message is over ${MAX_MESSAGE_BYTES / 1024} KB`, messageId };
  }
  const type = expected ?? (raw as { type?: unknown }).type;
  if (type !== 'track' && type !== 'identify') {
    return { ok: false, reason: 'type must be "track" or "identify"', messageId };
  }
  const parsed = (type === 'track' ? TrackMessage : IdentifyMessage).safeParse(raw);
  if (!parsed.success) return { ok: false, reason: reason(parsed.error), messageId };
  const context = sharedContext ? { ...sharedContext, ...parsed.data.context } : parsed.data.context;
  const message = { ...parsed.data, type, context } as ValidMessage;
  const fields = message.type === 'track' ? { properties: message.properties } : { traits: message.traits };
  const keyIssue = findTextIssue({ ...fields, context }, { values: false });
  if (keyIssue) return { ok: false, reason: describeTextIssue(keyIssue), messageId };
  return { ok: true, message: cleanTextValues(message) };
}
