// Admin CLI: `npm run tripwire -- <command>`. Talks to Postgres as the app role, through the same
// services and row-level security as the HTTP API. Output is JSON on stdout; errors go to stderr.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb, withTenant } from '@tripwire/db';
import { describeTextIssue, findTextIssue, type PlanLimits, workflowDocumentSchema } from '@tripwire/rules';
import { z } from 'zod';
import { loadEnv } from '../env.ts';
import { createApiKey, revokeApiKey } from '../services/api-keys.ts';
import { assignPlan, createPlan, listPlans, PlanError, updatePlan } from '../services/plans.ts';
import { createTenant } from '../services/tenants.ts';
import { QuotaExceeded } from '../services/workflow-quota.ts';
import { createWorkflow, getWorkflow, PublishRejected, publishWorkflow } from '../services/workflows.ts';

const USAGE = `Usage: npm run tripwire -- <command>

  tenant:create <name> [--rate <events/s>] [--burst <events>] [--plan <plan>]
      Creates a tenant; prints {tenantId, writeKey, adminKey, signingSecret} (shown once).
  tenant:plan --tenant <tenantId> <plan>|none
      Puts a tenant on a plan (its quotas apply within seconds), or on none (no quotas).
  plan:list
  plan:create <plan> [limits]
  plan:update <plan> [limits]
      Limits, each a whole number or "none" (no limit; left out on create: none):
        --rate <events/s> --burst <events>   ingestion rate (none: the tenant's own)
        --events-per-month <n>               events accepted per UTC month (then 429)
        --actions-per-day <n>                actions sent per UTC day
        --workflows <n>                      workflows a workspace may have (and have live)
        --over-quota hold|drop               actions over the day's quota: held for the next
                                             day with room, or not sent (default hold)
  apikey:create --tenant <tenantId> --scope ingest|admin [--name <name>]
  apikey:revoke --tenant <tenantId> <keyId>
  workflow:import <file.json> --tenant <tenantId> [--publish]
  workflow:export <workflowId> --tenant <tenantId>`;

class UsageError extends Error {}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    tenant: { type: 'string' },
    scope: { type: 'string' },
    name: { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    plan: { type: 'string' },
    'events-per-month': { type: 'string' },
    'actions-per-day': { type: 'string' },
    workflows: { type: 'string' },
    'over-quota': { type: 'string' },
    publish: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const [command, ...args] = positionals;

function tenantId(): string {
  const parsed = z.uuid().safeParse(values.tenant);
  if (!parsed.success) throw new UsageError('--tenant <tenantId> (a UUID) is required');
  return parsed.data;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
}

/** A limit flag: a whole number of at least `min`, or "none". undefined when not given. */
function limitFlag(flag: string, min: number): number | null | undefined {
  const value = values[flag as keyof typeof values];
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${flag} must be a whole number of at least ${min}, or none`);
  return n;
}

/** The plan limits given as flags (only those given). */
function planLimits(): Partial<PlanLimits> {
  const limits: Partial<PlanLimits> = {};
  const set = <K extends keyof PlanLimits>(key: K, value: PlanLimits[K] | undefined) => {
    if (value !== undefined) limits[key] = value;
  };
  set('ingestRatePerSecond', limitFlag('rate', 1));
  set('ingestBurst', limitFlag('burst', 1));
  set('eventsPerMonth', limitFlag('events-per-month', 0));
  set('actionsPerDay', limitFlag('actions-per-day', 0));
  set('workflows', limitFlag('workflows', 0));
  const over = values['over-quota'];
  if (over !== undefined) {
    if (over !== 'hold' && over !== 'drop') throw new UsageError('--over-quota must be hold or drop');
    limits.overQuotaActions = over;
  }
  return limits;
}

const planName = (what: string) => {
  const name = args[0]?.trim();
  if (!name) throw new UsageError(`${what} needs a plan name`);
  return name;
};

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** The shared text policy: arguments and files with text Postgres cannot store are usage errors. */
function storable(value: unknown, what: string): void {
  const issue = findTextIssue(value);
  if (issue) throw new UsageError(`${what}: ${describeTextIssue(issue)}`);
}

if (!command || values.help) {
  console.log(USAGE);
  process.exit(command ? 0 : 1);
}

const env = loadEnv();
const { db, close } = createDb({ connectionString: env.DATABASE_URL, max: 2, applicationName: 'tripwire-cli' });
let exitCode = 0;
try {
  storable({ arguments: positionals, ...values }, 'Invalid argument');
  switch (command) {
    case 'tenant:create': {
      const name = args.join(' ').trim();
      if (!name) throw new UsageError('tenant:create needs a name');
      // The plan first: a typo must not leave a workspace whose keys were never printed.
      if (values.plan && !(await listPlans(db)).some((p) => p.id === values.plan))
        throw new UsageError(`No plan named ${values.plan}; plan:list shows them`);
      const created = await createTenant(db, {
        name,
        ingestRatePerSecond: positiveInt(values.rate, '--rate'),
        ingestBurst: positiveInt(values.burst, '--burst'),
      });
      if (values.plan) await assignPlan(db, created.tenantId, values.plan);
      print(created);
      break;
    }
    case 'tenant:plan': {
      const plan = args[0]?.trim();
      if (!plan) throw new UsageError('tenant:plan needs a plan name, or none');
      print(await assignPlan(db, tenantId(), plan === 'none' ? null : plan));
      break;
    }
    case 'plan:list':
      print(await listPlans(db));
      break;
    case 'plan:create':
      print(await createPlan(db, planName('plan:create'), planLimits()));
      break;
    case 'plan:update':
      print(await updatePlan(db, planName('plan:update'), planLimits()));
      break;
    case 'apikey:create': {
      const scope = z.enum(['ingest', 'admin']).safeParse(values.scope);
      if (!scope.success) throw new UsageError('--scope must be ingest or admin');
      const tenant = tenantId();
      const name = values.name ?? `${scope.data} key (CLI)`;
      print(await withTenant(db, tenant, (tx) => createApiKey(tx, { tenantId: tenant, name, scope: scope.data })));
      break;
    }
    case 'apikey:revoke': {
      const keyId = z.uuid().safeParse(args[0]);
      if (!keyId.success) throw new UsageError('apikey:revoke needs the key id (a UUID)');
      const revoked = await revokeApiKey(db, { tenantId: tenantId(), keyId: keyId.data });
      if (!revoked) throw new UsageError('No such live key in this tenant');
      const { hash: _hash, ...visible } = revoked;
      print(visible);
      break;
    }
    case 'workflow:import': {
      if (!args[0]) throw new UsageError('workflow:import needs a file');
      const tenant = tenantId();
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(args[0], 'utf8'));
      } catch (error) {
        throw new UsageError(`Cannot read ${args[0]}: ${(error as Error).message}`);
      }
      storable(raw, args[0]);
      const parsed = workflowDocumentSchema.safeParse(raw);
      if (!parsed.success)
        throw new UsageError(`${args[0]} is not a workflow document v1:\n${z.prettifyError(parsed.error)}`);
      const id = await withTenant(db, tenant, (tx) =>
        createWorkflow(tx, { tenantId: tenant, document: parsed.data, actor: { apiKeyPrefix: 'cli' } }),
      );
      let version: number | undefined;
      if (values.publish) {
        try {
          const published = await withTenant(db, tenant, (tx) =>
            publishWorkflow(tx, { tenantId: tenant, workflowId: id, actor: { apiKeyPrefix: 'cli' } }),
          );
          version = published?.version;
        } catch (error) {
          if (!(error instanceof PublishRejected)) throw error;
          print({ id, published: false, errors: error.errors });
          exitCode = 1;
          break;
        }
      }
      print({ id, published: version !== undefined, ...(version ? { version } : {}) });
      break;
    }
    case 'workflow:export': {
      const id = z.uuid().safeParse(args[0]);
      if (!id.success) throw new UsageError('workflow:export needs the workflow id (a UUID)');
      const tenant = tenantId();
      const wf = await withTenant(db, tenant, (tx) => getWorkflow(tx, { tenantId: tenant, workflowId: id.data }));
      if (!wf) throw new UsageError('No such workflow in this tenant');
      print(wf.draft);
      break;
    }
    default:
      throw new UsageError(`Unknown command ${command}\n\n${USAGE}`);
  }
} catch (error) {
  if (error instanceof z.ZodError) {
    console.error(error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`).join('\n'));
    exitCode = 2;
  } else if (error instanceof UsageError || error instanceof PlanError || error instanceof QuotaExceeded) {
    console.error(error.message);
    exitCode = 2;
  } else throw error;
} finally {
  await close();
}
process.exit(exitCode);
