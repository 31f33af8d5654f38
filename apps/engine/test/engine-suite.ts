// The setup most engine integration files share: their own tenant, a webhook receiver that verifies
// that tenant's signatures, and an in-process engine on its own topics and pg-boss schema, all
// started before the file's tests and stopped after them.
import { type Database, runs, withTenant } from '@tripwire/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import type { EngineOptions } from '../src/engine.ts';
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
  /** An action.webhook node posting `body` to the receiver's `path`. */
  webhook(id: string, path: string, body?: Record<string, unknown>): WebhookNode;
  /** The suite tenant's run rows of a workflow. */
  runs(workflowId: string): Promise<(typeof runs.$inferSelect)[]>;
}

export interface WebhookNode {
  id: string;
  type: 'action.webhook';
  config: { url: string; body: Record<string, unknown> };
}

export function engineSuite(
  name: string,
  {
    onReceiver,
    engine,
    env,
  }: { onReceiver?: (r: Receiver) => void; engine?: EngineOptions; env?: Record<string, string> } = {},
) {
  const { db, close } = testDb();
  const suite = { db } as EngineSuite;
  suite.at = (path) => suite.receiver.received.filter((r) => r.path === path);
  suite.webhook = (id, path, body = {}) => ({
    id,
    type: 'action.webhook',
    config: { url: `${suite.receiver.url}${path}`, body },
  });
  suite.runs = (workflowId) =>
    withTenant(db, suite.tenant.tenantId, (tx) =>
      tx
        .select()
        .from(runs)
        .where(and(eq(runs.tenantId, suite.tenant.tenantId), eq(runs.workflowId, workflowId))),
    );
  beforeAll(async () => {
    suite.tenant = await createTestTenant(db);
    suite.receiver = await startReceiver(() => suite.tenant.secret);
    onReceiver?.(suite.receiver);
    suite.t = await startTestEngine(name, env, engine);
  });
  afterAll(async () => {
    await suite.t?.stop();
    await suite.receiver?.close();
    await close();
  });
  return suite;
}
