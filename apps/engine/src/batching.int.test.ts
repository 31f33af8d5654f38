import { profiles, withTenant } from '@tripwire/db';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { createTestTenant, kafka, publish, track, until } from '../test/fixtures.ts';

// The batched paths: a Kafka batch evaluated in one transaction (and done again event by event when
// one event fails), runs walked before their event's claim, and resume jobs taken up a batch at a time.

const s = engineSuite('batching');
const { db, at } = s;

const hook = (id: string, path: string) =>
  s.webhook(id, path, { user: '{{ event.userId }}', n: '{{ event.properties.n }}' });
const runsOf = s.runs;

describe('batched evaluation and resumes', () => {
  it('dead-letters the one event that cannot be evaluated and commits the rest of its batch once', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Ping',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'ping' } }, hook('h', '/ping')],
      edges: [{ source: 'start', target: 'h' }],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'ping'), 5000, 'workflow loaded');
    // One user, so one partition and (almost surely) one batch. The second event's property is nested
    // 10,000 deep: the run insert cannot serialise it. (A NUL, which jsonb refuses, no longer gets
    // this far: the envelope check dead-letters it as malformed, see envelope.test.ts.)
    const deep = track(s.tenant.tenantId, 'kim', 'ping', { n: 2, bad: 'DEEP' });
    deep.value = deep.value.replace('"DEEP"', `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    await s.t.produce([
      track(s.tenant.tenantId, 'kim', 'ping', { n: 1 }),
      deep,
      track(s.tenant.tenantId, 'kim', 'ping', { n: 3 }),
    ]);
    const [dead] = (await kafka.read(s.t.dlqTopic, 1)).map((m) => JSON.parse(m.value));
    expect(dead.reason).toMatch(/^evaluation failed: /);
    expect(JSON.parse(dead.value).properties.n).toBe(2);
    await until(() => at('/ping').length === 2, 10_000, 'two webhooks');
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      at('/ping')
        .map((h) => h.json.n)
        .sort(),
    ).toEqual([1, 3]);
  });

  it("walks a run that reads the profile before claiming its event, as the event's tenant, once", async () => {
    const other = await createTestTenant(db);
    await withTenant(db, s.tenant.tenantId, (tx) =>
      tx.insert(profiles).values({ tenantId: s.tenant.tenantId, userId: 'pat', traits: { plan: 'pro' } }),
    );
    // The other tenant has a profile for the same user id that would take the other branch.
    await withTenant(db, other.tenantId, (tx) =>
      tx.insert(profiles).values({ tenantId: other.tenantId, userId: 'pat', traits: { plan: 'free' } }),
    );
    const { workflowId } = await publish(db, s.tenant.tenantId, {
      name: 'Pro check',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'checkout' } },
        { id: 'pro', type: 'condition.if', config: { logic: { '==': [{ var: 'user.plan' }, 'pro'] } } },
        hook('yes', '/pro'),
        hook('no', '/not-pro'),
      ],
      edges: [
        { source: 'start', target: 'pro' },
        { source: 'pro', sourceHandle: 'true', target: 'yes' },
        { source: 'pro', sourceHandle: 'false', target: 'no' },
      ],
    });
    // The other tenant's event touches state first, so the batch's transaction acts as that tenant
    // when the checkout arrives.
    await publish(db, other.tenantId, {
      name: 'Capped',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'visit' } },
        { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'P1D' } },
        { id: 'note', type: 'action.log', config: { message: 'visit' } },
      ],
      edges: [
        { source: 'start', target: 'cap' },
        { source: 'cap', sourceHandle: 'pass', target: 'note' },
      ],
    });
    await until(
      () => s.t.engine.cache.route(s.tenant.tenantId, 'checkout') && s.t.engine.cache.route(other.tenantId, 'visit'),
      5000,
      'workflows loaded',
    );
    const checkout = track(s.tenant.tenantId, 'pat', 'checkout', { n: 7 });
    const key = checkout.key; // one partition for all three, in this order
    await s.t.produce([{ ...track(other.tenantId, 'pat', 'visit'), key }, checkout, checkout]);
    await until(() => at('/pro').length === 1, 10_000, 'the pro webhook');
    await new Promise((r) => setTimeout(r, 1500));
    expect(at('/pro')).toHaveLength(1);
    expect(at('/not-pro')).toHaveLength(0);
    const started = await runsOf(workflowId);
    expect(started).toHaveLength(1);
    expect(((started[0]?.path ?? []) as { nodeId: string; output?: string }[]).map((p) => p.nodeId)).toEqual([
      'start',
      'pro',
      'yes',
    ]);
  });

  it('resumes many delayed runs, one of them waiting twice at once, each webhook exactly once', async () => {
    const { workflowId: single } = await publish(db, s.tenant.tenantId, {
      name: 'Later',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'later' } },
        { id: 'wait', type: 'wait.delay', config: { duration: 'PT2S' } },
        hook('h', '/later'),
      ],
      edges: [
        { source: 'start', target: 'wait' },
        { source: 'wait', target: 'h' },
      ],
    });
    const { workflowId: twice } = await publish(db, s.tenant.tenantId, {
      name: 'Two waits',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'twice' } },
        { id: 'a', type: 'wait.delay', config: { duration: 'PT2S' } },
        { id: 'b', type: 'wait.delay', config: { duration: 'PT2S' } },
        hook('ha', '/twice-a'),
        hook('hb', '/twice-b'),
      ],
      edges: [
        { source: 'start', target: 'a' },
        { source: 'start', target: 'b' },
        { source: 'a', target: 'ha' },
        { source: 'b', target: 'hb' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'twice'), 5000, 'workflows loaded');
    await s.t.produce([
      ...Array.from({ length: 40 }, (_, n) => track(s.tenant.tenantId, `u${n}`, 'later', { n })),
      track(s.tenant.tenantId, 'lee', 'twice', { n: 99 }),
    ]);
    await until(() => at('/later').length === 40 && at('/twice-b').length === 1, 20_000, 'delayed webhooks');
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(at('/later').map((h) => h.json.n)).size).toBe(40);
    expect(at('/later')).toHaveLength(40);
    expect(at('/twice-a')).toHaveLength(1);
    expect(at('/twice-b')).toHaveLength(1);
    const done = [...(await runsOf(single)), ...(await runsOf(twice))];
    expect(done).toHaveLength(41);
    expect(done.every((r) => r.status === 'completed' && r.pending === 0)).toBe(true);
    const both = done.find((r) => r.workflowId === twice);
    expect(((both?.path ?? []) as { nodeId: string }[]).map((p) => p.nodeId).sort()).toEqual([
      'a',
      'a',
      'b',
      'b',
      'ha',
      'hb',
      'start',
    ]);
  });
});
