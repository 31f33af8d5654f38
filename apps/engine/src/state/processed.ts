import { processedEvents, type TenantTx } from '@tripwire/db';

/**
 * Claims a key (an event's messageId, or a job's key) in the current transaction. False when it
 * was already claimed by a committed transaction: the work was done and must not be done again.
 */
export async function claim(tx: TenantTx, tenantId: string, key: string): Promise<boolean> {
  const rows = await tx
    .insert(processedEvents)
    .values({ tenantId, messageId: key })
    .onConflictDoNothing()
    .returning({ key: processedEvents.messageId });
  return rows.length > 0;
}
