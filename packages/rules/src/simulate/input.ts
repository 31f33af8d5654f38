import type { SimEventData, SimEventInput } from './types.ts';

/** Own properties only: test input and plans are keyed by user-chosen node ids ("__proto__"). */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A count from the test input; anything that is not a non-negative number counts as none. */
export function ownCount(record: Record<string, number> | undefined, key: string): number {
  const n = own(record, key);
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** The rule context's event, filled in the way ingestion fills a Segment message. */
export function eventData(input: SimEventInput, now: number, messageId = 'simulated'): SimEventData {
  return {
    name: input.name,
    userId: input.userId,
    properties: input.properties ?? {},
    timestamp: input.timestamp ?? new Date(now).toISOString(),
    messageId: input.messageId ?? messageId,
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
