import { randomUUID } from 'node:crypto';
import { withTenant } from '@tripwire/db';
import { tenantTopic } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { identify, kafka, publish, track, until } from '../test/fixtures.ts';

const s = engineSuite('flows');
const { db, at } = s;

const hook = (id: string, path: string, extra: Record<string, unknown> = {}) =>
  s.webhook(id, path, { user: '{{ event.userId }}', event: '{{ event.name }}', ...extra });
const runsOf = s.runs;

describe('engine flows end to end (real Kafka, Postgres, pg-boss, HTTP)', () => {
  it('trigger (filter) -> condition on a profile trait -> signed webhook, kafka and log actions', async () => {
    // Published in the tenant's namespace, in a topic the engine creates (brokers do not auto-create).
    const outName = `flows-out-${randomUUID()}`;
    const { workflowId } = await publish(db, s.tenant.tenantId, {
      name: 'VIP purchase',
      nodes: [
        {
          id: 'start',
          type: 'trigger.event',
          config: { event: 'purchase', filter: { '>': [{ var: 'event.properties.total' }, 100] } },
        },
        { id: 'vip', type: 'condition.if', config: { logic: { '==': [{ var: 'user.plan' }, 'pro'] } } },
        hook('notify', '/vip', { total: '{{ event.properties.total }}' }),
        {
          id: 'stream',
          type: 'action.kafka',
          config: { topic: outName, key: '{{ event.userId }}', value: { total: '{{ event.properties.total }}' } },
        },
        { id: 'note', type: 'action.log', config: { message: 'not a pro: {{ event.userId }}' } },
      ],
      edges: [
        { source: 'start', target: 'vip' },
        { source: 'vip', sourceHandle: 'true', target: 'notify' },
        { source: 'vip', sourceHandle: 'true', target: 'stream' },
        { source: 'vip', sourceHandle: 'false', target: 'note' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'purchase'), 5000, 'workflow loaded');
    await s.t.produce([
      identify(s.tenant.tenantId, 'alice', { plan: 'pro' }),
      identify(s.tenant.tenantId, 'bob', { plan: 'free' }),
    ]);
    // Identify is written to profiles by the web app; here the test writes what ingestion would.
    await withTenant(db, s.tenant.tenantId, async (tx) => {
      const { profiles } = await import('@tripwire/db');
      await tx.insert(profiles).values([
        { tenantId: s.tenant.tenantId, userId: 'alice', traits: { plan: 'pro' } },
        { tenantId: s.tenant.tenantId, userId: 'bob', traits: { plan: 'free' } },
      ]);
    });
    await s.t.produce([
      track(s.tenant.tenantId, 'alice', 'purchase', { total: 250 }),
      track(s.tenant.tenantId, 'alice', 'purchase', { total: 5 }),
      track(s.tenant.tenantId, 'bob', 'purchase', { total: 300 }),
    ]);
    const [vip] = await until(() => (at('/vip').length > 0 ? at('/vip') : undefined), 15_000, 'vip webhook');
    expect(vip?.verified).toBe(true);
    expect(vip?.json).toEqual({ user: 'alice', event: 'purchase', total: 250 });
    expect(String(vip?.headers['webhook-id'])).toMatch(/^msg_/);
    const outTopic = tenantTopic(s.tenant.tenantId, outName);
    await until(async () => (await kafka.topics()).includes(outTopic), 15_000, 'the engine created the topic');
    const [out] = await kafka.read(outTopic, 1);
    expect(out).toMatchObject({ key: 'alice', value: JSON.stringify({ total: 250 }) });
    expect(out?.headers['tripwire-action-id']).toMatch(/^msg_/);

    const all = await until(
      async () => {
        const r = await runsOf(workflowId);
        return r.length === 2 && r.every((x) => x.status === 'completed') ? r : undefined;
      },
      10_000,
      'two completed runs',
    );
    const bob = all.find((r) => r.userId === 'bob');
    expect(
      ((bob?.path ?? []) as { nodeId: string; output?: string }[]).map((p) => [p.nodeId, p.output ?? null]),
    ).toEqual([
      ['start', 'next'],
      ['vip', 'false'],
      ['note', 'next'],
    ]);
    expect(at('/vip')).toHaveLength(1);
  });

  it('action.slack (the docs worked example) posts the rendered message only when onlyIf holds', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Slack on big orders',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'big_order' } },
        {
          id: 'slack',
          type: 'action.slack',
          config: {
            webhookUrl: `${s.receiver.url}/slack/T000/B000`,
            text: 'Order of {{ event.properties.total }} by {{ event.userId }}',
            onlyIf: { '>': [{ var: 'event.properties.total' }, 1000] },
          },
        },
      ],
      edges: [{ source: 'start', target: 'slack' }],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'big_order'), 5000, 'workflow loaded');
    await s.t.produce([
      track(s.tenant.tenantId, 'u-small', 'big_order', { total: 10 }),
      track(s.tenant.tenantId, 'u-big', 'big_order', { total: 5000 }),
    ]);
    await until(() => at('/slack/T000/B000').length === 1, 15_000, 'slack message');
    await new Promise((r) => setTimeout(r, 500));
    expect(at('/slack/T000/B000').map((r) => r.json)).toEqual([{ text: 'Order of 5000 by u-big' }]);
  });

  it('condition.count: fires on the 3rd failed payment within 10 minutes, not for older ones', async () => {
    await publish(db, s.tenant.tenantId, {
      name: '3 failed payments',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'payment_failed' } },
        { id: 'three', type: 'condition.count', config: { event: 'payment_failed', atLeast: 3, within: 'PT10M' } },
        hook('alert', '/payments'),
      ],
      edges: [
        { source: 'start', target: 'three' },
        { source: 'three', sourceHandle: 'true', target: 'alert' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'payment_failed'), 5000, 'workflow loaded');
    const old = new Date(Date.now() - 20 * 60_000);
    await s.t.produce([
      track(s.tenant.tenantId, 'carol', 'payment_failed', {}, old),
      track(s.tenant.tenantId, 'carol', 'payment_failed', {}, old),
      track(s.tenant.tenantId, 'carol', 'payment_failed'),
      track(s.tenant.tenantId, 'carol', 'payment_failed'),
      track(s.tenant.tenantId, 'dave', 'payment_failed'),
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(at('/payments')).toHaveLength(0);
    await s.t.produce([track(s.tenant.tenantId, 'carol', 'payment_failed')]);
    await until(() => at('/payments').length === 1, 10_000, 'payment alert');
    expect(at('/payments')[0]?.json.user).toBe('carol');
  });

  it('limit.frequency: at most one pass per user per day', async () => {
    const { workflowId } = await publish(db, s.tenant.tenantId, {
      name: 'Once a day',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'login' } },
        { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'P1D' } },
        hook('welcome', '/daily'),
      ],
      edges: [
        { source: 'start', target: 'cap' },
        { source: 'cap', sourceHandle: 'pass', target: 'welcome' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'login'), 5000, 'workflow loaded');
    await s.t.produce([
      track(s.tenant.tenantId, 'erin', 'login'),
      track(s.tenant.tenantId, 'erin', 'login'),
      track(s.tenant.tenantId, 'frank', 'login'),
    ]);
    const done = await until(
      async () => {
        const r = await runsOf(workflowId);
        return r.length === 3 && r.every((x) => x.status === 'completed') ? r : undefined;
      },
      10_000,
      'three runs',
    );
    await until(() => at('/daily').length === 2, 10_000, 'two daily webhooks');
    const outputs = done
      .map((r) => (r.path as { nodeId: string; output?: string }[]).find((p) => p.nodeId === 'cap')?.output)
      .sort();
    expect(outputs).toEqual(['limited', 'pass', 'pass']);
  });

  it('wait.delay resumes the run after the delay', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Welcome later',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'signed_up' } },
        { id: 'later', type: 'wait.delay', config: { duration: 'PT2S' } },
        hook('welcome', '/later'),
      ],
      edges: [
        { source: 'start', target: 'later' },
        { source: 'later', target: 'welcome' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'signed_up'), 5000, 'workflow loaded');
    const sent = Date.now();
    await s.t.produce([track(s.tenant.tenantId, 'gina', 'signed_up')]);
    const [hit] = await until(() => (at('/later').length ? at('/later') : undefined), 15_000, 'delayed webhook');
    expect((hit?.at ?? 0) - sent).toBeGreaterThanOrEqual(2000);
  });

  it('wait.event: received when the awaited event matches (even in the same batch), timeout otherwise', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Cart abandonment',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'cart_created' } },
        {
          id: 'bought',
          type: 'wait.event',
          config: {
            event: 'order_completed',
            match: { '==': [{ var: 'event.properties.cart' }, { var: 'trigger.properties.cart' }] },
            timeout: 'PT3S',
          },
        },
        hook('thanks', '/received', { cart: '{{ trigger.properties.cart }}' }),
        hook('nudge', '/timeout', { cart: '{{ trigger.properties.cart }}' }),
      ],
      edges: [
        { source: 'start', target: 'bought' },
        { source: 'bought', sourceHandle: 'received', target: 'thanks' },
        { source: 'bought', sourceHandle: 'timeout', target: 'nudge' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'cart_created'), 5000, 'workflow loaded');
    await s.t.produce([
      // Same batch: the trigger and the awaited event back to back.
      track(s.tenant.tenantId, 'hana', 'cart_created', { cart: 'c1' }),
      track(s.tenant.tenantId, 'hana', 'order_completed', { cart: 'c1' }),
      // A purchase of another cart does not match; this one times out.
      track(s.tenant.tenantId, 'ivan', 'cart_created', { cart: 'c2' }),
      track(s.tenant.tenantId, 'ivan', 'order_completed', { cart: 'other' }),
    ]);
    await until(() => at('/received').length === 1, 10_000, 'received webhook');
    expect(at('/received')[0]?.json).toMatchObject({ user: 'hana', cart: 'c1' });
    await until(() => at('/timeout').length === 1, 15_000, 'timeout webhook');
    expect(at('/timeout')[0]?.json).toMatchObject({ user: 'ivan', cart: 'c2' });
    await new Promise((r) => setTimeout(r, 3500));
    // hana's timeout was cancelled: no nudge for her, ever.
    expect(at('/timeout').map((h) => h.json.user)).toEqual(['ivan']);
  });

  it('two branches joining at a wait.event register one wait, and the run completes', async () => {
    const { workflowId } = await publish(db, s.tenant.tenantId, {
      name: 'Join at a wait',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'join_started' } },
        { id: 'a', type: 'action.log', config: { message: 'a' } },
        { id: 'b', type: 'action.log', config: { message: 'b' } },
        { id: 'w', type: 'wait.event', config: { event: 'join_paid', timeout: 'PT3S' } },
        hook('paid', '/joined'),
        hook('late', '/join-timeout'),
      ],
      edges: [
        { source: 'start', target: 'a' },
        { source: 'start', target: 'b' },
        { source: 'a', target: 'w' },
        { source: 'b', target: 'w' },
        { source: 'w', sourceHandle: 'received', target: 'paid' },
        { source: 'w', sourceHandle: 'timeout', target: 'late' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'join_started'), 5000, 'workflow loaded');
    await s.t.produce([track(s.tenant.tenantId, 'kim', 'join_started')]);
    await until(
      async () => ((await runsOf(workflowId))[0]?.status === 'waiting' ? true : undefined),
      10_000,
      'waiting',
    );
    await s.t.produce([track(s.tenant.tenantId, 'kim', 'join_paid')]);
    const [run] = await until(
      async () => {
        const r = await runsOf(workflowId);
        return r[0]?.status === 'completed' ? r : undefined;
      },
      10_000,
      'the run completed',
    );
    expect(run?.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 3500));
    // Received once; no second timeout fired for a wait that was never registered.
    expect([at('/joined').length, at('/join-timeout').length]).toEqual([1, 0]);
  });

  it('condition.count after a wait.delay counts the events of the wait (the window ends at the resume)', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Engaged after signup',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'count_signup' } },
        { id: 'd', type: 'wait.delay', config: { duration: 'PT2S' } },
        { id: 'c', type: 'condition.count', config: { event: 'count_login', atLeast: 2, within: 'PT1M' } },
        hook('yes', '/engaged'),
        hook('no', '/not-engaged'),
      ],
      edges: [
        { source: 'start', target: 'd' },
        { source: 'd', target: 'c' },
        { source: 'c', sourceHandle: 'true', target: 'yes' },
        { source: 'c', sourceHandle: 'false', target: 'no' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'count_login'), 5000, 'workflow loaded');
    await s.t.produce([track(s.tenant.tenantId, 'lea', 'count_signup')]);
    await new Promise((r) => setTimeout(r, 300));
    // Both logins come after the signup, during the delay.
    await s.t.produce([track(s.tenant.tenantId, 'lea', 'count_login'), track(s.tenant.tenantId, 'lea', 'count_login')]);
    await until(
      () => at('/engaged').length + at('/not-engaged').length === 1 || undefined,
      15_000,
      'the count decided',
    );
    expect([at('/engaged').length, at('/not-engaged').length]).toEqual([1, 0]);
  });

  it('processes a redelivered event (same messageId) once', async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'Once only',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'dup_test' } }, hook('h', '/dup')],
      edges: [{ source: 'start', target: 'h' }],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'dup_test'), 5000, 'workflow loaded');
    const event = track(s.tenant.tenantId, 'jack', 'dup_test');
    await s.t.produce([event]);
    await s.t.produce([event]);
    await until(() => at('/dup').length === 1, 10_000, 'dup webhook');
    await new Promise((r) => setTimeout(r, 1500));
    expect(at('/dup')).toHaveLength(1);
  });
});
