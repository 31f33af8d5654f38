import { useMutation } from '@tanstack/react-query';
import { type ChangeLine, describeChanges, diffWorkflows, type WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Badge, Button, Dialog } from '@tripwire/ui';
import { useState } from 'react';
import { errorMessage, useTRPC, useTRPCClient } from '../lib/trpc';
import { useEditorApi, useEditorStore } from './editor-context';
import { RichText } from './rich-text';

export interface VersionRow {
  version: number;
  publishedAt: Date;
  publishedBy: string | null;
  publishedByKey: string | null;
  publishedByEmail?: string | null;
  active: boolean;
}

/**
 * Version history: view a version read-only with what the draft changed since (field by field,
 * in words), go back to the draft, or roll back (the version becomes live and the draft again).
 */
export function VersionsPanel({
  workflowId,
  versions,
  canEdit,
  onViewing,
  onRolledBack,
}: {
  workflowId: string;
  versions: VersionRow[];
  canEdit: boolean;
  onViewing(version: number | null): void;
  onRolledBack(doc: WorkflowDocumentInput): void | Promise<void>;
}) {
  const api = useEditorApi();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const readOnly = useEditorStore((s) => s.readOnly);
  const [draft, setDraft] = useState<WorkflowDocumentInput | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const [changes, setChanges] = useState<ChangeLine[]>([]);
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollback = useMutation(
    trpc.workflows.rollback.mutationOptions({
      onSuccess: async (_r, input) => {
        const { document } = await client.workflows.version.query({ id: workflowId, version: input.version });
        setViewing(null);
        setDraft(null);
        setConfirming(null);
        onViewing(null);
        await onRolledBack(document as WorkflowDocumentInput);
      },
    }),
  );

  async function view(version: number) {
    const current = draft ?? api.getState().document();
    const { document } = await client.workflows.version.query({ id: workflowId, version });
    const doc = document as WorkflowDocumentInput;
    const diff = diffWorkflows(doc, current);
    api.getState().load(doc, { readOnly: true });
    const marks: Record<string, 'removed' | 'changed'> = {};
    for (const id of diff.nodes.removed) marks[id] = 'removed';
    for (const id of diff.nodes.changed) marks[id] = 'changed';
    api.getState().setDiff(marks);
    setChanges(describeChanges(doc, current));
    setDraft(current);
    setViewing(version);
    onViewing(version);
  }

  function backToDraft() {
    if (draft) api.getState().load(draft);
    setDraft(null);
    setViewing(null);
    onViewing(null);
  }

  return (
    <div className="versions-panel">
      <h2>Versions</h2>
      {rollback.error ? <Alert>{errorMessage(rollback.error)}</Alert> : null}
      {viewing ? (
        <div className="viewing" role="status">
          <p>
            <strong>Viewing version {viewing}</strong> (read-only).{' '}
            {changes.length === 0 ? 'The draft is the same.' : 'The draft changed since:'}
          </p>
          {changes.length > 0 ? (
            <ul className="changes" aria-label={`Changes in the draft since version ${viewing}`}>
              {changes.map((c, i) => (
                <li key={i} className={`changes__${c.kind}`}>
                  <RichText text={c.text} />
                  {c.before !== undefined ? (
                    <>
                      : <del>{c.before}</del> → <ins>{c.after}</ins>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <Button onClick={backToDraft}>Back to draft</Button>
        </div>
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
                View v{v.version}
              </Button>
              {canEdit && !v.active ? (
                <Button variant="danger" onClick={() => setConfirming(v.version)}>
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
      <Dialog
        open={confirming !== null}
        title={`Roll back to version ${confirming}?`}
        confirmLabel={`Roll back to v${confirming}`}
        tone="danger"
        busy={rollback.isPending}
        onConfirm={() => confirming !== null && rollback.mutate({ id: workflowId, version: confirming })}
        onClose={() => setConfirming(null)}
      >
        <p>
          Version {confirming} goes live at once and becomes the draft; the current draft's changes are replaced. The
          other versions stay in the history.
        </p>
      </Dialog>
    </div>
  );
}
