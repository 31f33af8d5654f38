import { randomUUID } from 'node:crypto';
import type { ValidMessage } from './messages.ts';

/**
 * What ingestion writes to Kafka (JSON value, key `tenantId:userId`) and the engine reads.
 * Versioned so the engine can tell formats apart as they evolve.
 */
export interface EventEnvelope {
  v: 1;
  type: 'track' | 'identify';
  tenantId: string;
  messageId: string;
  /** userId, or anonymousId for anonymous users: the key state is kept under. */
  userId: string;
  anonymousId?: string;
  event?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  timestamp: string;
  receivedAt: string;
}

export function toEnvelope(tenantId: string, message: ValidMessage, receivedAt: Date): EventEnvelope {
  const received = receivedAt.toISOString();
  const base = {
    v: 1 as const,
    tenantId,
    messageId: message.messageId ?? `tw-${randomUUID()}`,
    userId: (message.userId ?? message.anonymousId) as string,
    ...(message.anonymousId !== undefined ? { anonymousId: message.anonymousId } : {}),
    ...(message.context !== undefined ? { context: message.context } : {}),
    timestamp: message.timestamp ?? received,
    receivedAt: received,
  };
  return message.type === 'track'
    ? { ...base, type: 'track', event: message.event, properties: message.properties }
    : { ...base, type: 'identify', traits: message.traits };
}

export function kafkaKey(envelope: EventEnvelope): string {
  return `${envelope.tenantId}:${envelope.userId}`;
}
