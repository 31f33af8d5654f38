// The setup most engine integration files share: their own tenant, a webhook receiver that verifies
// that tenant's signatures, and an in-process engine on its own topics and pg-boss schema, all
// started before the file's tests and stopped after them.
import type { Database } from '@tripwire/db';
import { afterAll, beforeAll } from 'vitest';
import {
  createTestTenant,
  type ReceivedWebhook,
  type Receiver,
  startReceiver,
  startTestEngine,
  type TestTenant,
  testDb,
} from './fixtures.ts';

export interface EngineSuite {
  db: Database;
  /** Set once the suite's beforeAll ran. */
  tenant: TestTenant;
  receiver: Receiver;
  t: Awaited<ReturnType<typeof startTestEngine>>;
  /** Webhooks received on `path`. */
  at(path: string): ReceivedWebhook[];
}

export function engineSuite(name: string, { onReceiver }: { onReceiver?: (r: Receiver) => void } = {}) {
  const { db, close } = testDb();
  const suite = { db } as EngineSuite;
  suite.at = (path) => suite.receiver.received.filter((r) => r.path === path);
  beforeAll(async () => {
    suite.tenant = await createTestTenant(db);
    suite.receiver = await startReceiver(() => suite.tenant.secret);
    onReceiver?.(suite.receiver);
    suite.t = await startTestEngine(name);
  });
  afterAll(async () => {
    await suite.t?.stop();
    await suite.receiver?.close();
    await close();
  });
  return suite;
}
