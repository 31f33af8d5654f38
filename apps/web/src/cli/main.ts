// Admin CLI: `npm run tripwire -- <command>`. Talks to Postgres as the app role, through the same
// services and row-level security as the HTTP API. Output is JSON on stdout; errors go to stderr.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb, withTenant } from '@tripwire/db';
import { describeTextIssue, findTextIssue, workflowDocumentSchema } from '@tripwire/rules';
import { z } from 'zod';
import { loadEnv } from '../env.ts';
import { createApiKey, revokeApiKey } from '../services/api-keys.ts';
import { createTenant } from '../services/tenants.ts';
import { createWorkflow, getWorkflow, PublishRejected, publishWorkflow } from '../services/workflows.ts';

const USAGE = `Usage: npm run tripwire -- <command>

  tenant:create <name> [--rate <events/s>] [--burst <events>]
      Creates a tenant; prints {tenantId, writeKey, adminKey, signingSecret} (shown once).
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
      print(
        await createTenant(db, {
          name,
          ingestRatePerSecond: positiveInt(values.rate, '--rate'),
          ingestBurst: positiveInt(values.burst, '--burst'),
        }),
      );
      break;
    }
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
  if (!(error instanceof UsageError)) throw error;
  console.error(error.message);
  exitCode = 2;
} finally {
  await close();
}
process.exit(exitCode);
