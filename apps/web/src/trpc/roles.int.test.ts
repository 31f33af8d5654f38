import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, startApi } from '../../tests/support/api-fixture.ts';
import { TRPC_MAX_BATCH } from './limits.ts';
import { appRouter } from './router.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await startApi('trpc-roles');
});
afterAll(() => api?.stop());

/** A browser, as tRPC sees it: its cookies (session, known device), a client address, and cookies set. */
function browser(ip = `10.0.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`) {
  const jar = new Map<string, string>();
  const caller = async () => {
    const ctx = await api.web.createContext({
      req: { headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }, ip } as unknown as Request,
      res: {
        append: (_name: string, value: string) => {
          const [name, ...rest] = (value.split(';')[0] ?? '').split('=');
          if (!name) return;
          if (rest.join('=')) jar.set(name, rest.join('='));
          else jar.delete(name);
        },
      } as unknown as Response,
    });
    return appRouter.createCaller(ctx);
  };
  return { caller, cookie: () => jar.get('tw_session') ?? '', forgetDevice: () => jar.delete('tw_device') };
}

const password = 'violet-harbor-88-kite';
const email = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.com`;

async function signedUp(workspace = 'Acme') {
  const b = browser();
  const address = email('owner');
  const { tenantId } = await (await b.caller()).auth.signUp({ email: address, password, name: 'Olive', workspace });
  return { b, tenantId, email: address };
}

async function member(owner: Awaited<ReturnType<typeof signedUp>>, role: 'admin' | 'editor' | 'viewer') {
  const invite = await (await owner.b.caller()).members.invite({ role });
  const b = browser();
  const address = email(role);
  await (await b.caller()).auth.signUp({ email: address, password, name: role, workspace: `${role}'s own` });
  await (await b.caller()).members.acceptInvitation({ token: invite.token });
  const me = await (await b.caller()).auth.me();
  return { b, userId: me?.user.id as string, me };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const code = async (p: Promise<unknown>) => p.then(() => 'OK').catch((e: { code?: string }) => e.code ?? 'ERROR');

describe('tRPC role checks (real Postgres, row-level security)', () => {
  it('lets each role do exactly its part', async () => {
    const owner = await signedUp();
    const admin = await member(owner, 'admin');
    const editor = await member(owner, 'editor');
    const viewer = await member(owner, 'viewer');
    expect(viewer.me?.current).toMatchObject({ tenantId: owner.tenantId, role: 'viewer' });

    const as = async (who: { b: ReturnType<typeof browser> }) => who.b.caller();
    // Viewers read.
    expect(await code((await as(viewer)).members.list())).toBe('OK');
    expect(await code((await as(viewer)).keys.list())).toBe('FORBIDDEN');
    expect(await code((await as(viewer)).members.invite({ role: 'viewer' }))).toBe('FORBIDDEN');
    // A look-up test makes a request on the workspace's behalf: editors only (checked without a transaction).
    const lookup = { url: 'http://10.0.0.1/users/x', headers: {}, timeoutMs: 500 };
    expect(await code((await as(viewer)).lookups.test(lookup))).toBe('FORBIDDEN');
    await expect((await as(editor)).lookups.test(lookup)).resolves.toMatchObject({ ok: false, reason: 'refused' });
    // Editors are not admins.
    expect(await code((await as(editor)).keys.create({ name: 'x', scope: 'ingest' }))).toBe('FORBIDDEN');
    expect(await code((await as(editor)).members.remove({ userId: viewer.userId }))).toBe('FORBIDDEN');
    // Admins manage keys and members, but not owners or the workspace itself.
    expect(await code((await as(admin)).keys.create({ name: 'ci', scope: 'ingest' }))).toBe('OK');
    expect(await code((await as(admin)).members.changeRole({ userId: editor.userId, role: 'viewer' }))).toBe('OK');
    expect(await code((await as(admin)).members.changeRole({ userId: viewer.userId, role: 'owner' }))).toBe(
      'FORBIDDEN',
    );
    expect(await code((await as(admin)).tenants.delete({ confirmName: 'Acme' }))).toBe('FORBIDDEN');
    // The error says why.
    await expect((await as(viewer)).keys.list()).rejects.toThrow('This needs the admin role; you are a viewer');
  });

  it('keeps the last owner, and lets an owner delete the workspace', async () => {
    const owner = await signedUp('Solo');
    const me = await (await owner.b.caller()).auth.me();
    const ownerId = me?.user.id as string;
    await expect((await owner.b.caller()).members.leave()).rejects.toThrow(/last owner/);
    await expect((await owner.b.caller()).members.changeRole({ userId: ownerId, role: 'admin' })).rejects.toThrow(
      /at least one owner/,
    );
    await expect((await owner.b.caller()).tenants.delete({ confirmName: 'wrong' })).rejects.toThrow(
      /Type the workspace name/,
    );
    expect(await code((await owner.b.caller()).tenants.delete({ confirmName: 'Solo' }))).toBe('OK');
    expect((await (await owner.b.caller()).tenants.list()).map((t) => t.tenantId)).not.toContain(owner.tenantId);
  });

  it("cannot switch into or act on another tenant's workspace", async () => {
    const a = await signedUp('A corp');
    const b = await signedUp('B corp');
    expect(await code((await a.b.caller()).tenants.switch({ tenantId: b.tenantId }))).toBe('FORBIDDEN');
    const aKeys = await (await a.b.caller()).keys.list();
    const bKeys = await (await b.b.caller()).keys.list();
    expect(aKeys.map((k) => k.id).some((id) => bKeys.some((k) => k.id === id))).toBe(false);
    const bKey = bKeys[0]?.id as string;
    expect(await code((await a.b.caller()).keys.revoke({ id: bKey }))).toBe('NOT_FOUND');
  });

  it('serves more concurrent workflow calls than the pool has connections (one connection per call)', async () => {
    const owner = await signedUp();
    const caller = await owner.b.caller();
    const { id } = await caller.workflows.create({ name: 'Pool' });
    const document = { name: 'Pool', nodes: [], edges: [] };
    // 30 at once against a pool of 10: a procedure that opened a second transaction inside its
    // own would wait for a connection held by its siblings (and fail after the 10 s pool timeout).
    const calls = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0
        ? caller.workflows.get({ id })
        : i % 3 === 1
          ? caller.workflows.saveDraft({ id, document })
          : caller.workflows.unpublish({ id }),
    );
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    // Over HTTP, one batch may hold at most TRPC_MAX_BATCH calls (and so connections).
    const batch = (n: number) =>
      fetch(`${api.url.replace('/v1', '/trpc/')}${Array(n).fill('auth.me').join(',')}?batch=1&input={}`);
    expect((await batch(TRPC_MAX_BATCH)).status).toBe(200);
    const refused = await batch(TRPC_MAX_BATCH + 1);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Batch call exceeds maximum size');
  });

  it("answers NOT_FOUND for another tenant's invitation or workflow, changing nothing", async () => {
    const a = await signedUp('A');
    const b = await signedUp('B');
    const invite = await (await a.b.caller()).members.invite({ role: 'viewer' });
    const { id } = await (await a.b.caller()).workflows.create({ name: 'Theirs' });
    const invitations = (await (await a.b.caller()).members.list()).invitations;
    const inviteId = invitations.find((i) => i.id)?.id as string;
    expect(await code((await b.b.caller()).members.revokeInvitation({ id: inviteId }))).toBe('NOT_FOUND');
    expect(await code((await b.b.caller()).workflows.unpublish({ id }))).toBe('NOT_FOUND');
    expect(await code((await a.b.caller()).members.revokeInvitation({ id: inviteId }))).toBe('OK');
    expect(invite.token).toBeTruthy();
  });

  it('answers a version number beyond a Postgres integer with a 400, not a failed query', async () => {
    const caller = await (await signedUp()).b.caller();
    const { id } = await caller.workflows.create({ name: 'Big' });
    expect(await code(caller.workflows.version({ id, version: 3_000_000_000 }))).toBe('BAD_REQUEST');
    expect(await code(caller.workflows.rollback({ id, version: 3_000_000_000 }))).toBe('BAD_REQUEST');
    expect(await code(caller.workflows.version({ id, version: 2_147_483_647 }))).toBe('NOT_FOUND');
  });

  it('refuses weak passwords and taken emails with readable reasons', async () => {
    const b = browser();
    await expect(
      (await b.caller()).auth.signUp({ email: email('weak'), password: 'password123', name: '', workspace: 'W' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('This password is too easy to guess'),
    });
    // Over HTTP the one error formatter turns it into a form-friendly shape.
    const url = api.url.replace('/v1', '/trpc/auth.signUp');
    const res = await fetch(url, {
      method: 'POST',
      headers: { origin: new URL(url).origin, 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'not-an-email', password: 'short', workspace: '' } }),
    });
    const body = (await res.json()) as {
      error: { json: { message: string; data: { fieldErrors: Record<string, string> } } };
    };
    expect(res.status).toBe(400);
    // The first problem itself, so a form that does not show that field still says what is wrong.
    expect(body.error.json.message).toBe('Enter a valid email address');
    expect(body.error.json.data.fieldErrors).toMatchObject({
      email: 'Enter a valid email address',
      workspace: 'Name your workspace',
    });
    const owner = await signedUp();
    await expect(
      (await browser().caller()).auth.signUp({ email: owner.email, password, name: '', workspace: 'W' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('slows a guesser without locking the owner out, and signs out and invalidates on password change', async () => {
    const owner = await signedUp();
    const attacker = browser(); // a fresh address: this test's failures must not add up over runs
    for (let i = 0; i < 3; i++) {
      await expect(
        (await attacker.caller()).auth.signIn({ email: owner.email, password: 'nope-nope-nope' }),
      ).rejects.toThrow('Wrong email or password');
    }
    // Beyond 3, each try from that address for that account waits twice as long: 1 s, 2 s, 4 s …
    for (const seconds of [1, 2]) {
      await sleep(seconds * 1000 + 100);
      await expect(
        (await attacker.caller()).auth.signIn({ email: owner.email, password: 'nope-nope-nope' }),
      ).rejects.toThrow('Wrong email or password');
    }
    // Now 4 s, even with the right password.
    await expect((await attacker.caller()).auth.signIn({ email: owner.email, password })).rejects.toThrow(
      /Too many failed attempts. Try again in \d+ seconds?\./,
    );
    // The owner, from their own address, is not slowed at all.
    await (await browser().caller()).auth.signIn({ email: owner.email, password });

    const laptop = browser();
    const second = await signedUp();
    await (await laptop.caller()).auth.signIn({ email: second.email, password });
    expect((await (await laptop.caller()).auth.me())?.user.email).toBe(second.email);
    await (await second.b.caller()).auth.changePassword({ current: password, next: 'amber-lantern-77-reef' });
    expect(await (await laptop.caller()).auth.me()).toBeNull();
    expect((await (await second.b.caller()).auth.me())?.user.email).toBe(second.email);
    await (await second.b.caller()).auth.signOut();
    expect(await (await second.b.caller()).auth.me()).toBeNull();
  });

  it('keeps a known device signing in while the account is attacked from many addresses', async () => {
    const owner = await signedUp();
    // Twelve addresses, one guess each: the account refuses browsers it does not know for a while.
    for (let i = 0; i < 12; i++) {
      await (await browser().caller()).auth
        .signIn({ email: owner.email, password: 'guess-guess-guess' })
        .catch(() => {});
    }
    await expect((await browser().caller()).auth.signIn({ email: owner.email, password })).rejects.toThrow(
      /Too many failed attempts/,
    );
    // The owner's own browser (it signed up here) is a known device: it signs in.
    await (await owner.b.caller()).auth.signOut();
    await (await owner.b.caller()).auth.signIn({ email: owner.email, password });
    expect((await (await owner.b.caller()).auth.me())?.user.email).toBe(owner.email);
    // Without its device cookie the same browser is a stranger again.
    owner.b.forgetDevice();
    await (await owner.b.caller()).auth.signOut();
    await expect((await owner.b.caller()).auth.signIn({ email: owner.email, password })).rejects.toThrow(
      /Too many failed attempts/,
    );
  });

  it('throttles sign-ups per address and wrong current passwords per user', async () => {
    const ip = `10.88.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const answers: string[] = [];
    for (let i = 0; i < 11; i++) {
      answers.push(
        await (await browser(ip).caller()).auth
          .signUp({ email: email(`signup${i}`), password, name: '', workspace: 'W' })
          .then(
            () => 'OK',
            (e: { code: string }) => e.code,
          ),
      );
    }
    expect(answers).toEqual([...Array(10).fill('OK'), 'TOO_MANY_REQUESTS']);

    const owner = await signedUp();
    const change = async () =>
      (await owner.b.caller()).auth.changePassword({ current: 'not-my-password', next: 'amber-lantern-77-reef' }).then(
        () => 'OK',
        (e: { code: string }) => e.code,
      );
    const changes: string[] = [];
    for (let i = 0; i < 6; i++) changes.push(await change());
    expect(changes).toEqual([...Array(5).fill('UNAUTHORIZED'), 'TOO_MANY_REQUESTS']);
  });
});

describe('sign-in throttling under parallel guesses', () => {
  it('lets at most ten of twenty simultaneous wrong passwords from unknown browsers be tried', async () => {
    const victim = await signedUp();
    const attempts = Array.from({ length: 20 }, () =>
      browser()
        .caller()
        .then((c) => c.auth.signIn({ email: victim.email, password: 'guess-guess-guess' }))
        .catch((e: Error) => e.message),
    );
    const answers = await Promise.all(attempts);
    expect(answers.filter((a) => a === 'Wrong email or password').length).toBeLessThanOrEqual(10);
    expect(answers.filter((a) => /Too many failed attempts/.test(String(a))).length).toBeGreaterThanOrEqual(10);
    // Refused attempts leave no rows: only the tried ones count as failures.
    const { rows } = await api.web.db.execute<{ n: number }>(
      sql`select count(*)::int as n from sign_in_failures where key = ${`account:${victim.email.toLowerCase()}`}`,
    );
    expect(rows[0]?.n).toBe(answers.filter((a) => a === 'Wrong email or password').length);
  });

  it('does not count a successful sign-in as a failure, and clears its address', async () => {
    const user = await signedUp();
    const laptop = browser();
    for (let i = 0; i < 3; i++) {
      await expect(
        (await laptop.caller()).auth.signIn({ email: user.email, password: 'guess-guess-guess' }),
      ).rejects.toThrow('Wrong email or password');
    }
    // After the 1 s back-off the 4th try succeeds and clears this address's failures: three more
    // wrong ones are tried.
    await sleep(1100);
    await (await laptop.caller()).auth.signIn({ email: user.email, password });
    laptop.forgetDevice();
    for (let i = 0; i < 3; i++) {
      await expect(
        (await laptop.caller()).auth.signIn({ email: user.email, password: 'guess-guess-guess' }),
      ).rejects.toThrow('Wrong email or password');
    }
  });
});

describe('sign-in throttling per client address', () => {
  it('throttles an address that fails on many accounts, even for an account of its own', async () => {
    const ip = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const spray = browser(ip);
    for (let i = 0; i < 20; i++) {
      await expect(
        (await spray.caller()).auth.signIn({ email: email(`nobody${i}`), password: 'guess-guess-guess' }),
      ).rejects.toThrow('Wrong email or password');
    }
    const victim = await signedUp();
    await expect((await spray.caller()).auth.signIn({ email: victim.email, password })).rejects.toThrow(
      /Too many failed attempts/,
    );
    // The same account from another address is fine.
    await (await browser().caller()).auth.signIn({ email: victim.email, password });
  });

  it('takes the address from the connection, not from X-Forwarded-For, when no proxy is configured', async () => {
    const url = api.url.replace('/v1', '/trpc/auth.signIn');
    const tryOnce = async (i: number) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          origin: new URL(url).origin,
          'content-type': 'application/json',
          'x-forwarded-for': `203.0.113.${i}`,
        },
        body: JSON.stringify({ json: { email: email(`xff${i}`), password: 'guess-guess-guess' } }),
      });
      return res.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push(await tryOnce(i));
    // Rotating the header does not make the guesses come from 22 addresses: 127.0.0.1 is throttled.
    expect(statuses.at(-1)).toBe(429);
    await api.web.db.execute(sql`delete from sign_in_failures where key like 'ip:%127.0.0.1'`);
  });
});

describe('webhook signing secret', () => {
  it('reveals the secret once, and rotation keeps the old one signing for 24 hours', async () => {
    const owner = await signedUp('Secrets');
    const caller = await owner.b.caller();
    const { secret } = await caller.keys.revealSecret();
    expect(secret).toMatch(/^whsec_/);
    await expect(caller.keys.revealSecret()).rejects.toMatchObject({ code: 'CONFLICT' });
    const rotated = await caller.keys.rotateSecret();
    expect(rotated.secret).not.toBe(secret);
    const hoursLeft = (rotated.previousExpiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    const listed = await caller.keys.secrets();
    expect(listed).toHaveLength(2);
    expect(listed.map((s) => s.expiresAt === null)).toEqual([false, true]);
    expect(JSON.stringify(listed)).not.toContain(rotated.secret);
  });
});

describe('CSRF', () => {
  it('refuses a cross-site mutation and allows a same-origin one', async () => {
    const url = api.url.replace('/v1', '/trpc/auth.signOut');
    const foreign = await fetch(url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    const missing = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(403);
    const same = await fetch(url, {
      method: 'POST',
      headers: { origin: new URL(url).origin, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(same.status).toBe(200);
  });
});
