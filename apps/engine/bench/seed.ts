// The bench's own tenants in the dev database, made and published the way the engine tests do,
// with profiles for half the users; deleting a tenant cascades to its workflows, runs and state.
import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, profiles, signingSecrets, tenants, withTenant } from '@tripwire/db';
import { eq } from 'drizzle-orm';
import { publish } from '../test/fixtures.ts';
import { benchWorkflows } from './workflows.ts';

export interface BenchTenant {
  tenantId: string;
  /** workflow key (see benchWorkflows) -> workflow id */
  workflows: Record<string, string>;
  delaySeconds: { spread: number; burst: number };
}

export async function createBenchTenants(
  db: Database,
  opts: {
    tag: string;
    count: number;
    users: number;
    receiver: string;
    delaySeconds: (i: number) => { spread: number; burst: number };
  },
): Promise<BenchTenant[]> {
  const made: BenchTenant[] = [];
  for (let i = 0; i < opts.count; i++) {
    const tenantId = randomUUID();
    await withTenant(db, tenantId, async (tx) => {
      await tx.insert(tenants).values({ id: tenantId, name: `bench ${opts.tag} ${i}` });
      await tx
        .insert(signingSecrets)
        .values({ tenantId, id: randomUUID(), secret: `whsec_${randomBytes(24).toString('base64')}` });
      const rows = Array.from({ length: Math.floor(opts.users / 2) }, (_, u) => ({
        tenantId,
        userId: `u${u}`,
        traits: { plan: u % 3 === 0 ? 'pro' : 'free', ltv: (u * 37) % 3000 },
      }));
      for (let at = 0; at < rows.length; at += 1000) await tx.insert(profiles).values(rows.slice(at, at + 1000));
    });
    const delaySeconds = opts.delaySeconds(i);
    const workflows: Record<string, string> = {};
    for (const [key, doc] of Object.entries(benchWorkflows(opts.receiver, delaySeconds)))
      workflows[key] = (await publish(db, tenantId, doc)).workflowId;
    made.push({ tenantId, workflows, delaySeconds });
  }
  return made;
}

export async function deleteBenchTenants(db: Database, ids: string[]) {
  for (const id of ids) await withTenant(db, id, (tx) => tx.delete(tenants).where(eq(tenants.id, id)));
}
