import { randomBytes, randomUUID } from 'node:crypto';
import { deadLetters, withTenant } from '@tripwire/db';
import { actionQueue } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApi } from '../../../tests/support/api-fixture.ts';
import { joinAs, signUpOwner } from '../../../tests/support/trpc-session.ts';

// The dead-letters page's API: filters, a redacted payload, replay and discard of a selection with
// an audit trail, roles, and tenant isolation; replays land on the real pg-boss queue.
let api: ApiFixture;
let boss: PgBoss;
const jobsSchema = `pgboss_dl_${randomBytes(5).toString('hex')}`;
// The queue of action.webhook@1, as the engine names it (actionQueue in the wire contract).
const QUEUE = actionQueue('action.webhook', 1);

beforeAll(async () => {
  api = await startApi('dead-letters-trpc', { JOBS_SCHEMA: jobsSchema });
  boss = new PgBoss({ connectionString: process.env.DATABASE_URL as string, schema: jobsSchema, supervise: false });
  await boss.start();
  await boss.createQueue(QUEUE);
});
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await api?.web.db.execute(sql.raw(`drop schema if exists ${jobsSchema} cascade`)).catch(() => {});
  await api?.stop();
});

/** Files a dead letter as the engine's dispatcher does. */
async function file(tenantId: string, workflowId: string, error: string, headers: Record<string, string> = {}) {
  const id = randomUUID();
  const actionId = `msg_${randomUUID()}`;
  const data = {
    tenantId,
    runId: randomUUID(),
    workflowId,
    version: 1,
    nodeId: 'hook',
    type: 'action.webhook',
    nodeVersion: 1,
    actionId,
    config: { url: 'https://hooks.example.com/in', headers, body: { order: 'A-1', password: 'hunter2' } },
    attemptBudget: 3,
  };
  await withTenant(api.web.db, tenantId, (tx) =>
    tx.insert(deadLetters).values({
      tenantId,
      id,
      queue: QUEUE,
      actionId,
      runId: data.runId,
      workflowId,
      nodeId: 'hook',
      data,
      error,
      attempts: 3,
    }),
  );
  return id;
}

describe('dead letters over tRPC (real Postgres and pg-boss)', () => {
  it('lists with filters, redacts the payload, replays and discards a selection, and shows who did it', async () => {
    const owner = await signUpOwner(api);
    const editor = await joinAs(owner, api, 'editor');
    const viewer = await joinAs(owner, api, 'viewer');
    const as = (who: { b: { caller(): ReturnType<typeof owner.b.caller> } }) => who.b.caller();
    const orders = await (await as(owner)).workflows.create({ name: 'Order alerts' });
    const signups = await (await as(owner)).workflows.create({ name: 'Signup sync' });
    const a = await file(owner.tenantId, orders.id, 'webhook.server_error: the receiver answered 503', {
      'x-api-token': 'receiver-secret',
    });
    const b = await file(owner.tenantId, orders.id, 'webhook.client_error: the receiver answered 404');
    const c = await file(owner.tenantId, signups.id, 'webhook.timeout: no complete answer within 15000 ms');

    const v = await as(viewer);
    expect((await v.deadLetters.list({})).map((r) => r.id).sort()).toEqual([a, b, c].sort());
    expect((await v.deadLetters.list({ workflowId: signups.id })).map((r) => r.id)).toEqual([c]);
    expect((await v.deadLetters.list({ error: '503' })).map((r) => r.id)).toEqual([a]);
    expect((await v.deadLetters.list({ error: '%' })).map((r) => r.id)).toEqual([]);
    expect((await v.deadLetters.list({ queue: 'action.kafka' })).map((r) => r.id)).toEqual([]);
    const [listed] = await v.deadLetters.list({ workflowId: signups.id });
    expect(listed).toMatchObject({ workflowName: 'Signup sync', state: 'open', lastAction: null });
    expect(listed).not.toHaveProperty('data');
    expect(await v.deadLetters.facets()).toMatchObject({ queues: [QUEUE], open: 3 });

    const detail = await v.deadLetters.get({ id: a });
    expect(detail.data).toMatchObject({
      config: { headers: { 'x-api-token': '[redacted]' }, body: { order: 'A-1', password: '[redacted]' } },
    });

    // Viewers read; they cannot change anything.
    await expect(v.deadLetters.replay({ ids: [a] })).rejects.toThrow('This needs the editor role; you are a viewer');
    await expect(v.deadLetters.discard({ ids: [b] })).rejects.toThrow('This needs the editor role');

    const e = await as(editor);
    const replayed = await e.deadLetters.replay({ ids: [a, c, randomUUID()] });
    expect(replayed.done.map((d) => d.id).sort()).toEqual([a, c].sort());
    expect(replayed.skipped).toEqual([{ id: expect.any(String), reason: 'not_found' }]);
    // The job on the queue carries the original, unredacted payload with a fresh retry budget.
    const jobId = replayed.done.find((d) => d.id === a)?.jobId as string;
    const [job] = await boss.findJobs<Record<string, unknown>>(QUEUE, { id: jobId });
    expect(job?.data).toMatchObject({
      actionId: detail.actionId,
      reschedules: 0,
      config: { headers: { 'x-api-token': 'receiver-secret' } },
    });
    expect(job?.data).not.toHaveProperty('attemptBudget');
    expect((await v.deadLetters.get({ id: a })).replayState).toBe('queued');

    const discarded = await e.deadLetters.discard({ ids: [b, a], note: 'customer deleted' });
    expect(discarded.done).toEqual([{ id: b, workflowId: orders.id }]);
    expect(discarded.skipped).toEqual([{ id: a, reason: 'already_replayed', jobId }]);
    expect((await e.deadLetters.replay({ ids: [b] })).skipped).toEqual([{ id: b, reason: 'discarded' }]);

    // A worker delivers the replay.
    const [fetched] = await boss.fetch(QUEUE);
    await boss.complete(QUEUE, fetched?.id as string, { status: 200 });
    const after = await v.deadLetters.get({ id: a });
    expect(after).toMatchObject({ state: 'replayed', replayState: 'delivered' });
    expect(after.trail).toEqual([
      expect.objectContaining({ action: 'dead_letter.replay', actor: expect.stringMatching(/^Vic editor </) }),
    ]);
    expect((await v.deadLetters.list({ state: 'open' })).map((r) => r.id)).toEqual([]);
    expect((await v.deadLetters.list({ state: 'discarded' }))[0]).toMatchObject({
      id: b,
      lastAction: { action: 'dead_letter.discard', details: { note: 'customer deleted', workflowId: orders.id } },
    });
    expect((await v.deadLetters.activity()).map((x) => x.action).sort()).toEqual([
      'dead_letter.discard',
      'dead_letter.replay',
      'dead_letter.replay',
    ]);
  });

  it('keeps tenants apart and bounds a selection', async () => {
    const mine = await signUpOwner(api, 'Mine');
    const theirs = await signUpOwner(api, 'Theirs');
    const wf = await (await theirs.b.caller()).workflows.create({ name: 'Theirs' });
    const letter = await file(theirs.tenantId, wf.id, 'webhook.server_error');
    const me = await mine.b.caller();
    expect(await me.deadLetters.list({ state: 'all' })).toEqual([]);
    await expect(me.deadLetters.get({ id: letter })).rejects.toThrow('No such dead letter');
    expect((await me.deadLetters.replay({ ids: [letter] })).skipped).toEqual([{ id: letter, reason: 'not_found' }]);
    expect((await me.deadLetters.discard({ ids: [letter] })).done).toEqual([]);
    expect((await (await theirs.b.caller()).deadLetters.list({}))[0]).toMatchObject({ id: letter, state: 'open' });
    await expect(me.deadLetters.replay({ ids: Array.from({ length: 101 }, () => randomUUID()) })).rejects.toThrow(
      'Select at most 100 dead letters at a time',
    );
  });
});
