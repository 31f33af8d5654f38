import { useMutation, useQueryClient } from '@tanstack/react-query';
import { diffWorkflows, type WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Badge, Button } from '@tripwire/ui';
import { useState } from 'react';
import { errorMessage, useTRPC, useTRPCClient } from '../lib/trpc';
import { useEditorApi, useEditorStore } from './editor-context';

export interface VersionRow {
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  publishedByKey: string | null;
  publishedByEmail?: string | null;
  active: boolean;
}

/**
 * Version history: view a version read-only with its differences from the draft highlighted, go
 * back to the draft, or roll back (the version becomes active and the draft again).
 */
export function VersionsPanel({
  workflowId,
  versions,
  canEdit,
  onRolledBack,
}: {
  workflowId: string;
  versions: VersionRow[];
  canEdit: boolean;
  onRolledBack(doc: WorkflowDocumentInput): void;
}) {
  const api = useEditorApi();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const readOnly = useEditorStore((s) => s.readOnly);
  const [draft, setDraft] = useState<WorkflowDocumentInput | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const [summary, setSummary] = useState<string>('');
  const rollback = useMutation(
    trpc.workflows.rollback.mutationOptions({
      onSuccess: async (_r, input) => {
        const { document } = await client.workflows.version.query({ id: workflowId, version: input.version });
        setViewing(null);
        setDraft(null);
        onRolledBack(document as WorkflowDocumentInput);
        await queryClient.invalidateQueries({ queryKey: trpc.workflows.get.queryKey({ id: workflowId }) });
      },
    }),
  );

  async function view(version: number) {
    const current = draft ?? api.getState().document();
    const { document } = await client.workflows.version.query({ id: workflowId, version });
    const diff = diffWorkflows(document as WorkflowDocumentInput, current);
    api.getState().load(document as WorkflowDocumentInput, { readOnly: true });
    const marks: Record<string, 'removed' | 'changed'> = {};
    // Nodes of this version that the draft no longer has, or has changed.
    for (const id of diff.nodes.added) marks[id] = 'removed';
    for (const id of diff.nodes.removed) marks[id] = 'removed';
    for (const id of diff.nodes.changed) marks[id] = 'changed';
    const inVersion = new Set((document as WorkflowDocumentInput).nodes.map((n) => n.id));
    for (const id of Object.keys(marks)) if (!inVersion.has(id)) delete marks[id];
    api.getState().setDiff(marks);
    const onlyInDraft = current.nodes.filter((n) => !inVersion.has(n.id)).map((n) => n.id);
    setSummary(
      [
        onlyInDraft.length ? `added in the draft: ${onlyInDraft.join(', ')}` : '',
        Object.entries(marks).filter(([, m]) => m === 'removed').length
          ? `removed in the draft: ${Object.entries(marks)
              .filter(([, m]) => m === 'removed')
              .map(([id]) => id)
              .join(', ')}`
          : '',
        Object.entries(marks).filter(([, m]) => m === 'changed').length
          ? `changed in the draft: ${Object.entries(marks)
              .filter(([, m]) => m === 'changed')
              .map(([id]) => id)
              .join(', ')}`
          : '',
      ]
        .filter(Boolean)
        .join('; ') || 'same as the draft',
    );
    setDraft(current);
    setViewing(version);
  }

  function backToDraft() {
    if (draft) api.getState().load(draft);
    setDraft(null);
    setViewing(null);
  }

  return (
    <aside className="panel" aria-label="Versions">
      <h2>Versions</h2>
      {rollback.error ? <Alert>{errorMessage(rollback.error)}</Alert> : null}
      {viewing ? (
        <Alert tone="info">
          Viewing version {viewing} (read-only). Compared with the draft: {summary}.{' '}
          <Button onClick={backToDraft}>Back to draft</Button>
        </Alert>
      ) : null}
      {versions.length === 0 ? <p className="muted">Not published yet.</p> : null}
      <ul className="plain versions">
        {versions.map((v) => (
          <li key={v.version}>
            <strong>v{v.version}</strong> {v.active ? <Badge tone="green">live</Badge> : null}
            <div className="muted small">
              {new Date(v.publishedAt).toLocaleString()} ·{' '}
              {v.publishedByEmail ? `by ${v.publishedByEmail}` : v.publishedByKey ? `via ${v.publishedByKey}` : ''}
            </div>
            <div className="actions">
              <Button onClick={() => void view(v.version)} disabled={viewing === v.version}>
                View
              </Button>
              {canEdit && !v.active ? (
                <Button
                  variant="danger"
                  busy={rollback.isPending}
                  onClick={() =>
                    confirm(`Roll back to version ${v.version}? It goes live at once.`) &&
                    rollback.mutate({ id: workflowId, version: v.version })
                  }
                >
                  Roll back to v{v.version}
                </Button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {readOnly && !viewing ? (
        <p className="muted">You can view this workflow; editing needs the editor role.</p>
      ) : null}
    </aside>
  );
}
