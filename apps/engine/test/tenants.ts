// Tenants and published workflows made the way the product makes them: through the web app's own
// services (a tenant with its keys and signing secret; a draft validated, compiled and published as
// the next version), never by writing rows a different way.
import type { Database } from '@tripwire/db';
import { withTenant } from '@tripwire/db';
import { builtinRegistry, type Registry, type WorkflowDocumentInput, workflowDocumentSchema } from '@tripwire/rules';
import { createTenant } from '@tripwire/web/src/services/tenants.ts';
import {
  createWorkflow,
  publishWorkflow,
  unpublishWorkflow,
  updateDraft,
} from '@tripwire/web/src/services/workflows.ts';

export interface TestTenant {
  tenantId: string;
  /** The tenant's webhook signing secret. */
  secret: string;
  writeKey: string;
  adminKey: string;
}

export async function createTestTenant(db: Database, name = 'test'): Promise<TestTenant> {
  const t = await createTenant(db, { name: `${name} ${Date.now().toString(36)}` });
  return { tenantId: t.tenantId, secret: t.signingSecret, writeKey: t.writeKey, adminKey: t.adminKey };
}

/**
 * Publishes `doc` as the next version of the workflow `workflowId` (made when new). `registry`
 * stands for a release with other node types (tests of node versions).
 */
export async function publish(
  db: Database,
  tenantId: string,
  doc: WorkflowDocumentInput,
  workflowId: string = crypto.randomUUID(),
  registry: Registry = builtinRegistry,
) {
  const document = workflowDocumentSchema.parse(doc);
  return withTenant(db, tenantId, async (tx) => {
    if (!(await updateDraft(tx, { tenantId, workflowId, document })))
      await createWorkflow(tx, { tenantId, document, actor: {}, id: workflowId });
    const published = await publishWorkflow(tx, { tenantId, workflowId, actor: {}, registry });
    if (!published) throw new Error(`workflow ${workflowId} vanished while publishing`);
    return { workflowId, version: published.version };
  });
}

export async function unpublish(db: Database, tenantId: string, workflowId: string) {
  await withTenant(db, tenantId, (tx) => unpublishWorkflow(tx, { tenantId, workflowId }));
}
