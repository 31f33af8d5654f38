// Integration-test fixtures for the engine: real Postgres and Kafka, a private topic, DLQ topic,
// consumer group and pg-boss schema per engine, fresh tenants, and a local webhook receiver.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createDb,
  type Database,
  signingSecrets,
  tenants,
  withTenant,
  workflows,
  workflowVersions,
} from '@tripwire/db';
import { builtinRegistry, compileWorkflow, type Registry, type WorkflowDocumentInput } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import { verifyWebhook } from '../src/actions/webhook-signature.ts';
import { createEngine, type EngineOptions } from '../src/engine.ts';
import { EngineEnv } from '../src/env.ts';
import { createLogger } from '../src/logger.ts';
import { testKafka } from './kafka-admin.ts';

export const kafka = testKafka(process.env.KAFKA_BROKERS as string);

export function testDb() {
  return createDb({ connectionString: process.env.DATABASE_URL as string, max: 4 });
}

export interface TestTenant {
  tenantId: string;
  secret: string;
}

export async function createTestTenant(db: Database): Promise<TestTenant> {
  const tenantId = randomUUID();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  await withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name: `engine test ${tenantId.slice(0, 8)}` });
    await tx.insert(signingSecrets).values({ tenantId, id: randomUUID(), secret });
  });
  return { tenantId, secret };
}

/** Publishes a document as the next version of a (new or given) workflow, as the web app does. */
export async function publish(
  db: Database,
  tenantId: string,
  doc: WorkflowDocumentInput,
  workflowId = randomUUID(),
  registry: Registry = builtinRegistry,
) {
  const plan = compileWorkflow(doc, { registry });
  return withTenant(db, tenantId, async (tx) => {
    await tx.insert(workflows).values({ tenantId, id: workflowId, name: doc.name, draft: doc }).onConflictDoNothing();
    const [latest] = await tx
      .select({ v: sql<number>`coalesce(max(${workflowVersions.version}), 0)` })
      .from(workflowVersions)
      .where(and(eq(workflowVersions.tenantId, tenantId), eq(workflowVersions.workflowId, workflowId)));
    const version = Number(latest?.v ?? 0) + 1;
    await tx
      .insert(workflowVersions)
      .values({ tenantId, workflowId, version, document: doc, plan, compilerVersion: String(plan.compilerVersion) });
    await tx
      .update(workflows)
      .set({ activeVersion: version })
      .where(and(eq(workflows.tenantId, tenantId), eq(workflows.id, workflowId)));
    return { workflowId, version };
  });
}

export async function unpublish(db: Database, tenantId: string, workflowId: string) {
  await withTenant(db, tenantId, (tx) =>
    tx
      .update(workflows)
      .set({ activeVersion: null })
      .where(and(eq(workflows.tenantId, tenantId), eq(workflows.id, workflowId))),
  );
}

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
    key: `${tenantId}:${userId}`,
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
    key: `${tenantId}:${userId}`,
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

export interface ReceivedWebhook {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: receivers assert on bodies field by field
  json: any;
  verified: boolean;
  at: number;
}

/** A status, or a status with response headers (a 429's Retry-After). */
export type ReceiverAnswer = number | { status: number; headers: Record<string, string> };

/** A local HTTP receiver; `respond` decides each answer (default 200). */
export async function startReceiver(secret: () => string | undefined = () => undefined) {
  const received: ReceivedWebhook[] = [];
  let respond: (req: ReceivedWebhook, attempt: number) => ReceiverAnswer = () => 200;
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const s = secret();
      const hook: ReceivedWebhook = {
        path: req.url ?? '',
        method: req.method ?? '',
        headers: req.headers,
        body,
        json: body ? JSON.parse(body) : null,
        verified: s ? verifyWebhook({ headers: req.headers, body, secret: s }).ok : false,
        at: Date.now(),
      };
      const id = String(req.headers['webhook-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const answer = respond(hook, attempt);
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      if (status < 300) received.push(hook);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    attempts,
    respondWith(fn: (req: ReceivedWebhook, attempt: number) => ReceiverAnswer) {
      respond = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An engine in this process on its own topic, DLQ topic, consumer group and pg-boss schema. */
export async function startTestEngine(
  name: string,
  overrides: Record<string, string> = {},
  options: EngineOptions = {},
) {
  const topic = await kafka.createTopic(`${name}-events`, 3);
  const dlqTopic = await kafka.createTopic(`${name}-dlq`, 1);
  const schema = `pgboss_t_${randomBytes(5).toString('hex')}`;
  const env = EngineEnv.parse({
    ...process.env,
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    KAFKA_GROUP_ID: `test-engine-${randomUUID()}`,
    KAFKA_FROM_BEGINNING: 'true',
    ENGINE_PORT: '0',
    JOBS_SCHEMA: schema,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ACTION_RETRY_LIMIT: '3',
    ACTION_RETRY_DELAY_SECONDS: '1',
    ACTION_RETRY_DELAY_MAX_SECONDS: '2',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
  const engine = createEngine(env, createLogger(env.LOG_LEVEL), options);
  const { port } = await engine.start();
  const { db, close } = testDb();
  return {
    engine,
    env,
    topic,
    dlqTopic,
    schema,
    url: `http://127.0.0.1:${port}`,
    produce: (messages: { key: string; value: string }[]) => kafka.produce(topic, messages),
    async stop() {
      await engine.stop();
      await db.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
      await close();
    },
  };
}
