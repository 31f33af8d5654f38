// Kafka messages as ingestion writes them (the wire envelope), for tests that produce straight to
// the events topic.
import { randomBytes, randomUUID } from 'node:crypto';
import { eventKey } from '@tripwire/rules';

let sequence = 0;
/** A Kafka message as ingestion writes it. */
export function track(
  tenantId: string,
  userId: string,
  event: string,
  properties: Record<string, unknown> = {},
  at = new Date(),
) {
  const messageId = `m-${Date.now()}-${sequence++}-${randomBytes(3).toString('hex')}`;
  return {
    key: eventKey(tenantId, userId),
    value: JSON.stringify({
      v: 1,
      type: 'track',
      tenantId,
      messageId,
      userId,
      event,
      properties,
      timestamp: at.toISOString(),
      receivedAt: new Date().toISOString(),
    }),
    messageId,
  };
}

export function identify(tenantId: string, userId: string, traits: Record<string, unknown>) {
  return {
    key: eventKey(tenantId, userId),
    value: JSON.stringify({
      v: 1,
      type: 'identify',
      tenantId,
      messageId: `i-${randomUUID()}`,
      userId,
      traits,
      timestamp: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
    }),
  };
}
