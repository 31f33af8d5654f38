import { actionQueue } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';
import { PRIORITY } from './jobs/priority.ts';

// Action priorities (decision 034): a node's priority becomes its job's pg-boss priority, and
// pg-boss fetches higher priorities first. The timing figure (10,000 low-priority actions queued,
// a high one delivered within 1 s) is `npm run bench:priority`.

const s = engineSuite('priority');
const { db, at } = s;
let boss: PgBoss | undefined;
afterAll(() => boss?.stop({ graceful: false }));

describe('action priorities', () => {
  it('enqueues each action with its node’s priority (normal when none is set)', async () => {
    const tenantId = s.tenant.tenantId;
    const node = (id: string, priority?: string) => {
      const hook = s.webhook(id, `/${id}`, { user: '{{ event.userId }}' });
      return priority ? { ...hook, config: { ...hook.config, priority } } : hook;
    };
    await publish(db, tenantId, {
      name: 'Priorities',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'prio' } },
        node('urgent', 'high'),
        node('plain'),
        node('bulk', 'low'),
      ],
      edges: ['urgent', 'plain', 'bulk'].map((target) => ({ source: 'start', target })),
    });
    await until(() => s.t.engine.cache.route(tenantId, 'prio'), 5000, 'workflow loaded');
    await s.t.produce([track(tenantId, 'p1', 'prio')]);
    await until(() => ['/urgent', '/plain', '/bulk'].every((p) => at(p).length === 1), 15_000, 'three actions');
    const { rows } = await db.execute<{ node: string; priority: number }>(
      sql`select data->>'nodeId' as node, priority from ${sql.identifier(s.t.schema)}.job
          where name = ${actionQueue('action.webhook', 1)} and data->>'tenantId' = ${tenantId}`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.node, r.priority]))).toEqual({
      urgent: PRIORITY.high,
      plain: PRIORITY.normal,
      bulk: PRIORITY.low,
    });
  });

  it('a high-priority job queued behind 2,000 low ones is fetched first', async () => {
    // A queue no worker takes, in the suite's pg-boss schema: what the dispatcher's next fetch gets.
    boss = new PgBoss({ connectionString: process.env.DATABASE_URL as string, schema: s.t.schema, supervise: false });
    boss.on('error', () => {});
    await boss.start();
    const queue = 'test.priority';
    await boss.createQueue(queue);
    await boss.insert(
      queue,
      Array.from({ length: 2000 }, (_, i) => ({ data: { i }, priority: PRIORITY.low })),
    );
    await boss.insert(queue, [{ data: { i: 'normal' } }, { data: { i: 'high' }, priority: PRIORITY.high }]);
    const first = await boss.fetch<{ i: number | string }>(queue, { batchSize: 50 });
    expect(first.slice(0, 2).map((j) => j.data.i)).toEqual(['high', 'normal']);
    expect(first.slice(2).every((j) => typeof j.data.i === 'number')).toBe(true);
  });
});
