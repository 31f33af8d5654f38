// Fuzz suite: property-based hostile requests against the public API (/v1), tRPC and workflow
// documents, sent to a real web process on 127.0.0.1 backed by the real Postgres and Kafka.
// Asserts: no 5xx, the process never exits, and valid messages in a batch or an import are kept.
// Bounded in requests and seconds:  npm run fuzz -- --count 10000 --seconds 600 [--seed 42]
import { type ChildProcess, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createDb } from '@tripwire/db';
import { testKafka } from '@tripwire/testing';
import fc from 'fast-check';
import { createTenant } from '../src/services/tenants.ts';
import {
  hostileDate,
  hostileDocument,
  hostileLogic,
  hostileMessage,
  hostileText,
  hostileValue,
  validMessage,
} from './arbitraries.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: process.env.FUZZ_COUNT ?? '2000' },
    seconds: { type: 'string', default: process.env.FUZZ_SECONDS ?? '120' },
    seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 1_000_000) },
  },
});
const COUNT = Number(values.count);
const SECONDS = Number(values.seconds);
const SEED = Number(values.seed);
const databaseUrl =
  process.env.TEST_DATABASE_URL ?? 'postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire_test';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

const statuses = new Map<number, number>();
const byTarget = new Map<string, number>();
const serverErrors: { target: string; status: number; body: string }[] = [];
let sent = 0;
let child: ChildProcess;
let base = '';
let cookie = '';

async function request(target: string, path: string, init: RequestInit = {}): Promise<Response> {
  sent++;
  byTarget.set(target, (byTarget.get(target) ?? 0) + 1);
  const res = await fetch(`${base}${path}`, init);
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status >= 500)
    serverErrors.push({ target, status: res.status, body: (await res.clone().text()).slice(0, 300) });
  return res;
}

/** A generated value with whether it must be accepted. */
const tagged =
  (valid: boolean) =>
  <T>(m: T) => ({ valid, m });

/** Percent-encoding of any text: a lone surrogate goes as the bytes a WTF-8 encoder would send. */
function pathSegment(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const trpc = (procedure: string, input: unknown) =>
  request(`trpc ${procedure}`, `/trpc/${procedure}`, json({ json: input }, { origin: base, cookie }));

function alive(): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function startServer(env: Record<string, string>): Promise<void> {
  child = spawn(process.execPath, [new URL('./api-server.ts', import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web process did not start:\n${output}`)), 60_000);
    child.stderr?.on('data', (c) => {
      output += c;
    });
    child.stdout?.on('data', (c) => {
      output += c;
      const port = /"msg":"fuzz api listening","port":(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        base = `http://127.0.0.1:${port}`;
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the web process exited with ${code}:\n${output}`)));
  });
}

async function main() {
  const kafka = testKafka(brokers);
  const topic = await kafka.createTopic('fuzz', 3);
  const { db, close } = createDb({ connectionString: databaseUrl, max: 2, applicationName: 'tripwire-fuzz' });
  const tenant = await createTenant(db, { name: 'fuzz', ingestRatePerSecond: 1_000_000, ingestBurst: 1_000_000 });
  await close();
  await startServer({
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: brokers,
    EVENTS_TOPIC: topic,
    LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'error',
    NODE_ENV: 'test',
    SIGNUPS_PER_IP: '100000',
    SIGNIN_FAILURES_PER_IP: '100000',
  });
  const signUp = await trpc('auth.signUp', {
    email: `fuzz-${SEED}-${Date.now()}@example.com`,
    password: 'violet-harbor-88-kite',
    name: 'Fuzz',
    workspace: 'Fuzz',
  });
  cookie = (signUp.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
  const workflow = (await (await trpc('workflows.create', { name: 'fuzz target' })).json()) as {
    result: { data: { json: { id: string } } };
  };
  const workflowId = workflow.result.data.json.id;
  const ingest = { authorization: `Bearer ${tenant.writeKey}` };
  const admin = { authorization: `Bearer ${tenant.adminKey}` };

  // Each property: what it sends, and its share of the requests.
  const properties: [string, number, fc.IAsyncProperty<never>][] = [
    [
      'track/identify',
      3,
      fc.asyncProperty(fc.constantFrom('track', 'identify'), hostileMessage, async (path, m) => {
        const res = await request(`/v1/${path}`, `/v1/${path}`, json(m, ingest));
        return res.status < 500;
      }) as never,
    ],
    [
      'batch keeps valid messages',
      3,
      fc.asyncProperty(
        fc.array(fc.oneof(hostileMessage.map(tagged(false)), validMessage.map(tagged(true))), { maxLength: 12 }),
        async (items) => {
          const res = await request('/v1/batch', '/v1/batch', json({ batch: items.map((i) => i.m) }, ingest));
          if (res.status >= 500) return false;
          const body = (await res.json()) as { accepted?: number };
          return items.length === 0 || (body.accepted ?? 0) >= items.filter((i) => i.valid).length;
        },
      ) as never,
    ],
    [
      'import keeps valid lines',
      1,
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            hostileMessage.map((m) => JSON.stringify(m)).map(tagged(false)),
            hostileText.map(tagged(false)),
            validMessage.map((m) => JSON.stringify(m)).map(tagged(true)),
          ),
          { maxLength: 20 },
        ),
        async (items) => {
          const res = await request('/v1/import', '/v1/import', {
            method: 'POST',
            headers: { ...ingest, 'content-type': 'application/x-ndjson' },
            body: items.map((i) => i.m.replace(/[\r\n]/g, ' ')).join('\n'),
          });
          if (res.status >= 500) return false;
          const body = (await res.json()) as { accepted?: number };
          return (body.accepted ?? 0) >= items.filter((i) => i.valid).length;
        },
      ) as never,
    ],
    [
      'admin API',
      2,
      fc.asyncProperty(hostileText, hostileDate, hostileValue, hostileDocument, async (text, date, value, doc) => {
        const id = pathSegment(text);
        const all = await Promise.all([
          request('/v1/profiles/:id', `/v1/profiles/${id}`, { headers: admin }),
          request('/v1/dead-letters', `/v1/dead-letters?before=${pathSegment(date)}&limit=${id}`, {
            headers: admin,
          }),
          request('/v1/api-keys', '/v1/api-keys', json({ name: text, scope: value }, admin)),
          request('/v1/workflows', '/v1/workflows', json(doc, admin)),
          request('/v1/workflows/:id', `/v1/workflows/${id}`, { method: 'PUT', ...json(doc, admin) }),
        ]);
        return all.every((r) => r.status < 500);
      }) as never,
    ],
    [
      'tRPC',
      3,
      fc.asyncProperty(hostileText, hostileDocument, hostileLogic, async (text, doc, logic) => {
        const all = await Promise.all([
          trpc('workflows.create', { name: text, document: doc }),
          trpc('workflows.rename', { id: workflowId, name: text }),
          trpc('workflows.saveDraft', { id: workflowId, document: doc }),
          trpc('workflows.saveDraft', {
            id: workflowId,
            document: {
              name: 'rule',
              nodes: [
                { id: 't', type: 'trigger.event', config: { event: 'x', filter: logic } },
                { id: 'l', type: 'action.log', config: {} },
              ],
              edges: [{ source: 't', target: 'l' }],
            },
          }),
          trpc('workflows.publish', { id: workflowId }),
          trpc('tenants.rename', { name: text }),
          trpc('keys.create', { name: text, scope: 'ingest' }),
          trpc('members.revokeInvitation', { id: text }),
        ]);
        return all.every((r) => r.status < 500);
      }) as never,
    ],
  ];
  const weights = properties.reduce((sum, [, w]) => sum + w, 0);
  const requestsPerRun = {
    'track/identify': 1,
    'batch keeps valid messages': 1,
    'import keeps valid lines': 1,
    'admin API': 5,
    tRPC: 8,
  } as Record<string, number>;
  const started = Date.now();
  let failure: unknown;
  for (const [name, weight, property] of properties) {
    const left = SECONDS * 1000 - (Date.now() - started);
    if (left <= 0) break;
    const numRuns = Math.max(1, Math.round((COUNT * weight) / weights / (requestsPerRun[name] ?? 1)));
    const share = Math.max(1000, Math.round((left * weight) / weights));
    try {
      await fc.assert(property, { numRuns, seed: SEED, interruptAfterTimeLimit: share, markInterruptAsFailure: false });
    } catch (error) {
      failure ??= error;
      console.error(`property "${name}" failed:\n${String((error as Error).message).slice(0, 2000)}`);
    }
    if (!alive()) break;
  }
  const healthy =
    alive() &&
    (await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    ));
  const seconds = (Date.now() - started) / 1000;
  const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  console.log(`fuzz: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s), seed ${SEED}`);
  console.log(
    `statuses: ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, c]) => `${s}×${c}`)
      .join(' ')}`,
  );
  console.log(`by target: ${[...byTarget].map(([t, c]) => `${t} ${c}`).join(', ')}`);
  console.log(`5xx: ${fivexx}; web process ${healthy ? 'up and healthy' : 'DOWN'}`);
  for (const e of serverErrors.slice(0, 5)) console.log(`  ${e.status} ${e.target}: ${e.body}`);
  child.kill('SIGTERM');
  const ok = !failure && fivexx === 0 && healthy;
  console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  child?.kill('SIGTERM');
  console.log('0 passed, 1 failed');
  process.exit(1);
});
