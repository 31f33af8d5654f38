import type { WorkflowDocumentInput } from '@tripwire/rules';
import { Loading } from '@tripwire/ui';
import { lazy, Suspense, useEffect, useState } from 'react';
import { can, useMe } from '../../lib/me';
import type { Route } from './+types/workflow';

// The canvas is browser-only (it measures the DOM); it loads after hydration.
const EditorPage = lazy(() => import('../../editor/editor-page').then((m) => ({ default: m.EditorPage })));

export async function loader({ params, context, request }: Route.LoaderArgs) {
  const caller = await context.caller(request);
  const workflow = await caller.workflows.get({ id: params.id });
  return { id: workflow.id, name: workflow.name, draft: workflow.draft as WorkflowDocumentInput };
}

export function meta({ data }: Route.MetaArgs) {
  return [{ title: `${data?.name ?? 'Workflow'} · Tripwire` }];
}

export default function Workflow({ loaderData }: Route.ComponentProps) {
  const me = useMe();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? (
    <Suspense fallback={<Loading label="Loading the editor…" />}>
      <EditorPage key={loaderData.id} workflowId={loaderData.id} draft={loaderData.draft} canEdit={can(me, 'editor')} />
    </Suspense>
  ) : (
    <Loading label="Loading the editor…" />
  );
}
