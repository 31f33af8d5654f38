/** What the event debugger shows of one ingested message (a trimmed copy of the Kafka envelope). */
export interface DebuggerEvent {
  messageId: string;
  type: 'track' | 'identify';
  /** The event name; absent for identify. */
  name?: string;
  userId: string;
  timestamp: string;
  receivedAt: string;
  /** properties (track) or traits (identify), as JSON text, cut at MAX_DATA_CHARS. */
  data: string;
  truncated: boolean;
}

/** Per event kept for a viewer: with the ring's length this bounds a viewer's memory. */
export const MAX_DATA_CHARS = 4096;

const text = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;

/** Parses an envelope the web's own ingestion wrote; anything unexpected is skipped, not shown. */
export function toDebuggerEvent(value: Buffer | null): (DebuggerEvent & { tenantId: string }) | null {
  if (!value) return null;
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(value.toString('utf8'));
  } catch {
    return null;
  }
  const tenantId = text(e.tenantId, 64);
  const messageId = text(e.messageId, 200);
  const userId = text(e.userId, 256);
  const type = e.type === 'track' || e.type === 'identify' ? e.type : undefined;
  if (!tenantId || !messageId || !userId || !type) return null;
  const json = JSON.stringify((type === 'track' ? e.properties : e.traits) ?? {});
  const name = type === 'track' ? text(e.event, 200) : undefined;
  return {
    tenantId,
    messageId,
    type,
    ...(name ? { name } : {}),
    userId,
    timestamp: text(e.timestamp, 64) ?? '',
    receivedAt: text(e.receivedAt, 64) ?? '',
    data: json.length > MAX_DATA_CHARS ? json.slice(0, MAX_DATA_CHARS) : json,
    truncated: json.length > MAX_DATA_CHARS,
  };
}

export interface ViewerFilter {
  /** Event names containing this (case-insensitive); identify calls match the word "identify". */
  event?: string;
  /** User ids containing this (case-insensitive). */
  user?: string;
}

export function matches(event: DebuggerEvent, filter: ViewerFilter): boolean {
  if (filter.event && !(event.name ?? event.type).toLowerCase().includes(filter.event.toLowerCase())) return false;
  if (filter.user && !event.userId.toLowerCase().includes(filter.user.toLowerCase())) return false;
  return true;
}
