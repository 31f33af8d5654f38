import { randomUUID } from 'node:crypto';
import { type EventEnvelope, eventKey } from '@tripwire/rules';
import type { ValidMessage } from './messages.ts';

// The envelope itself (its schema, limits and key) is the wire contract in @tripwire/rules, which
// the engine parses with; this turns a validated Segment message into one.
export type { EventEnvelope };

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
  return eventKey(envelope.tenantId, envelope.userId);
}
