import { randomUUID } from 'node:crypto';
import { deadLetters, withTenant } from '@tripwire/db';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { beforeAll, describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';

// ACTION_RETRY_LIMIT=3 in the test engine: four attempts in all, with backoff between them.
let alternatingHits = 0;
const s = engineSuite('retries', {
  // Every path here is one endpoint (the receiver's origin): its circuit must not pause the others.
  env: { CIRCUIT_FAILURES: '1000' },
  onReceiver: (receiver) =>
    receiver.respondWith((req, attempt) => {
      if (req.path === '/flaky') return attempt <= 3 ? 500 : 200;
      if (req.path === '/busy') return attempt === 1 ? 429 : 200;
      if (req.path === '/gone') return 404;
      if (req.path === '/down') return 503;
      // Always failing, every other time with a Retry-After: rescheduled, but within the same budget.
      if (req.path === '/alternating') {
        alternatingHits++;
        return attempt % 2 ? { status: 429, headers: { 'retry-after': '1' } } : 500;
      }
      return 200;
    }),
});
const { db } = s;
const PATHS = ['flaky', 'busy', 'gone', 'down', 'alternating'] as const;

beforeAll(async () => {
  for (const path of PATHS) {
    await publish(db, s.tenant.tenantId, {
      name: `Deliver to ${path}`,
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: `deliver_${path}` } },
        s.webhook('hook', `/${path}`, { path }),
      ],
      edges: [{ source: 'start', target: 'hook' }],
    });
  }
  await until(
    () => PATHS.every((p) => s.t.engine.cache.route(s.tenant.tenantId, `deliver_${p}`)),
    5000,
    'workflows loaded',
  );
  await s.t.produce(PATHS.map((p) => track(s.tenant.tenantId, 'u', `deliver_${p}`)));
});

const delivered = (path: string) => s.at(`/${path}`);
const deadLettersNow = () =>
  withTenant(db, s.tenant.tenantId, (tx) =>
    tx.select().from(deadLetters).where(eq(deadLetters.tenantId, s.tenant.tenantId)),
  );

describe('action retries and dead letters (real pg-boss)', () => {
  it('retries a webhook that fails 3 times and delivers it once, with the same webhook-id every time', async () => {
    const [hit] = await until(
      () => (delivered('flaky').length ? delivered('flaky') : undefined),
      30_000,
      'flaky delivery',
    );
    expect(hit?.verified).toBe(true);
    expect(s.receiver.attempts.get(String(hit?.headers['webhook-id']))).toBe(4);
    expect(delivered('flaky')).toHaveLength(1);
  });

  it('honours 429 Retry-After and keeps the webhook-id', async () => {
    const [hit] = await until(
      () => (delivered('busy').length ? delivered('busy') : undefined),
      30_000,
      'busy delivery',
    );
    expect(s.receiver.attempts.get(String(hit?.headers['webhook-id']))).toBe(2);
  });

  it('dead-letters a permanent failure at once and a persistent 5xx after its retries, with the reason', async () => {
    const rows = await until(
      async () => {
        const r = await deadLettersNow();
        return r.length === 3 ? r : undefined;
      },
      60_000,
      'three dead letters',
    );
    const byPath = Object.fromEntries(
      rows.map((r) => [(r.data as { config: { url: string } }).config.url.split('/').pop(), r]),
    );
    expect(byPath.gone).toMatchObject({
      queue: 'action.webhook.v1',
      attempts: 1,
      error: expect.stringMatching(/^webhook\.client_error/),
    });
    expect(byPath.down).toMatchObject({
      queue: 'action.webhook.v1',
      attempts: 4,
      error: expect.stringMatching(/^webhook\./),
    });
    expect(byPath.down?.error).toMatch(/503/);
    expect(delivered('gone')).toHaveLength(0);
    expect(delivered('down')).toHaveLength(0);
    // 429 with Retry-After reschedules the action, but it still gets four attempts in all, not
    // four per reschedule.
    expect(byPath.alternating).toMatchObject({ attempts: 4 });
    expect(alternatingHits).toBe(4);
  });

  it('a resume job that keeps failing does not fail (or hold back) the jobs fetched with it', async () => {
    // A run parked at a day-long delay; the test resumes it with a job of its own, fetched in one
    // batch behind a job that fails every time (its tenant is not a UUID).
    const { workflowId } = await publish(db, s.tenant.tenantId, {
      name: 'After a delay',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'resume_mix' } },
        { id: 'd', type: 'wait.delay', config: { duration: 'P1D' } },
        s.webhook('hook', '/after-delay'),
      ],
      edges: [
        { source: 'start', target: 'd' },
        { source: 'd', target: 'hook' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'resume_mix'), 5000, 'workflow loaded');
    await s.t.produce([track(s.tenant.tenantId, 'vera', 'resume_mix')]);
    const run = await until(async () => {
      const [row] = await s.runs(workflowId);
      return row?.status === 'waiting' ? row : undefined;
    });
    const boss = new PgBoss({
      connectionString: process.env.DATABASE_URL as string,
      schema: s.t.schema,
      supervise: false,
      schedule: false,
      migrate: false,
    });
    await boss.start();
    try {
      const due = new Date(Date.now() + 1500);
      const resume = (tenantId: string, runId: string) => ({
        tenantId,
        runId,
        nodeId: 'd',
        kind: 'delay',
        output: 'next',
        key: `resume:${randomUUID()}`,
      });
      // Due together, so fetched in one batch; the failing one first (higher priority).
      await boss.send('tripwire.resume', resume('not-a-tenant', randomUUID()), { startAfter: due, priority: 10 });
      const good = await boss.send('tripwire.resume', resume(s.tenant.tenantId, run.id), {
        startAfter: due,
        priority: 1,
      });
      await until(() => (delivered('after-delay').length === 1 ? true : undefined), 15_000, 'the good run resumed');
      // It succeeded on its first attempt: the failure next to it did not fail it too.
      const job = await boss.getJobById('tripwire.resume', good as string);
      expect(job).toMatchObject({ state: 'completed', retryCount: 0 });
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});
