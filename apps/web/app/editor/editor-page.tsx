import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Button } from '@tripwire/ui';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import '@xyflow/react/dist/style.css';
import { errorMessage, useTRPC } from '../lib/trpc';
import { Canvas } from './canvas';
import { ConfigPanel } from './config-panel';
import { EditorProvider, useEditorApi, useEditorStore } from './editor-context';
import { Palette } from './palette';
import { ProblemsPanel } from './problems-panel';
import { SuggestionsProvider, useTenantSuggestions } from './suggestions';
import { TestRunPanel } from './test-run-panel';
import { ErrorsProvider, useValidation } from './validation';
import { type VersionRow, VersionsPanel } from './versions-panel';

export interface EditorPageProps {
  workflowId: string;
  draft: WorkflowDocumentInput;
  canEdit: boolean;
}

export function EditorPage(props: EditorPageProps) {
  return (
    <EditorProvider initial={props.draft} readOnly={!props.canEdit}>
      <ReactFlowProvider>
        <Editor {...props} />
      </ReactFlowProvider>
    </EditorProvider>
  );
}

type SaveState = 'saved' | 'unsaved' | 'saving' | 'error';

function Editor({ workflowId, canEdit }: EditorPageProps) {
  const trpc = useTRPC();
  const api = useEditorApi();
  const queryClient = useQueryClient();
  const errors = useValidation();
  const suggestions = useTenantSuggestions();
  const { screenToFlowPosition } = useReactFlow();
  const [panel, setPanel] = useState<'node' | 'test' | 'versions'>('node');
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [published, setPublished] = useState<string | null>(null);
  const { revision, notice, readOnly, undo, redo, autoLayout, canUndo, canRedo, name } = useEditorStore((s) => ({
    revision: s.revision,
    notice: s.notice,
    readOnly: s.readOnly,
    undo: s.undo,
    redo: s.redo,
    autoLayout: s.autoLayout,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    name: s.name,
  }));
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id: workflowId }));
  // mutateAsync keeps its identity across renders (the mutation object does not).
  const { mutateAsync: saveDraft } = useMutation(trpc.workflows.saveDraft.mutationOptions());
  const publish = useMutation(
    trpc.workflows.publish.mutationOptions({
      onSuccess: async (r) => {
        setPublished(`Published version ${r.version}; engines load it within a second.`);
        await queryClient.invalidateQueries({ queryKey: trpc.workflows.get.queryKey({ id: workflowId }) });
      },
    }),
  );

  // Autosave: shortly after the last change, unless viewing a version or read-only.
  const lastSaved = useRef(0);
  const flush = useCallback(async () => {
    const state = api.getState();
    if (state.readOnly || !canEdit || state.revision === lastSaved.current) return;
    const at = state.revision;
    setSaveState('saving');
    try {
      await saveDraft({ id: workflowId, document: state.document() as Parameters<typeof saveDraft>[0]['document'] });
      lastSaved.current = at;
      setSaveState(api.getState().revision === at ? 'saved' : 'unsaved');
    } catch {
      setSaveState('error');
    }
  }, [api, canEdit, saveDraft, workflowId]);
  useEffect(() => {
    if (revision === 0 || readOnly) return;
    setSaveState('unsaved');
    const t = setTimeout(() => void flush(), 700);
    return () => clearTimeout(t);
  }, [revision, readOnly, flush]);

  const addAtCenter = (type: string) => {
    const selected = api.getState().nodes.find((n) => n.selected);
    const position = selected
      ? { x: selected.position.x, y: selected.position.y + 150 }
      : screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 3 });
    api.getState().addNode(type, position);
    setPanel('node');
  };

  const versions = (workflow.data?.versions ?? []) as VersionRow[];
  const live = versions.find((v) => v.active);
  return (
    <ErrorsProvider value={errors}>
      <SuggestionsProvider value={suggestions}>
        <div className="editor">
          <div className="editor__toolbar" role="toolbar" aria-label="Editor">
            <h1 className="editor__title">{name}</h1>
            <span className={`save-state save-state--${saveState}`} role="status">
              {readOnly
                ? 'Read-only'
                : {
                    saved: 'All changes saved',
                    unsaved: 'Unsaved changes…',
                    saving: 'Saving…',
                    error: 'Could not save — retrying on next change',
                  }[saveState]}
            </span>
            <span className="muted small">{live ? `Live: v${live.version}` : 'Not published'}</span>
            {live ? (
              <Link className="small" to={`/app/workflows/${workflowId}/activity`}>
                Activity
              </Link>
            ) : null}
            {workflow.data?.problems ? (
              <span className="tw-badge tw-badge--red" role="status">
                The live version is not running: {workflow.data.problems.map((p) => p.message).join('; ')}
              </span>
            ) : null}
            <div className="topbar__spacer" />
            {canEdit && !readOnly ? (
              <>
                <Button onClick={undo} disabled={!canUndo} aria-keyshortcuts="Control+Z">
                  Undo
                </Button>
                <Button onClick={redo} disabled={!canRedo} aria-keyshortcuts="Control+Shift+Z">
                  Redo
                </Button>
                <Button onClick={autoLayout}>Auto-layout</Button>
              </>
            ) : null}
            <Button onClick={() => setPanel(panel === 'test' ? 'node' : 'test')}>Test run</Button>
            <Button onClick={() => setPanel(panel === 'versions' ? 'node' : 'versions')}>Versions</Button>
            {canEdit ? (
              <Button
                variant="primary"
                disabled={errors.length > 0 || readOnly}
                busy={publish.isPending}
                title={errors.length > 0 ? 'Fix the problems below to publish' : 'Publish this draft'}
                onClick={async () => {
                  setPublished(null);
                  await flush();
                  publish.mutate({ id: workflowId });
                }}
              >
                Publish
              </Button>
            ) : null}
          </div>
          {notice ? (
            <div className="editor__notice">
              <Alert>
                {notice}{' '}
                <button
                  type="button"
                  className="tw-button tw-button--ghost"
                  onClick={() => api.getState().setNotice(null)}
                >
                  Dismiss
                </button>
              </Alert>
            </div>
          ) : null}
          {published ? <Alert tone="success">{published}</Alert> : null}
          {publish.error ? <Alert>{errorMessage(publish.error)}</Alert> : null}
          <div className="editor__body">
            {canEdit ? <Palette onAdd={addAtCenter} /> : null}
            <Canvas />
            {panel === 'test' ? (
              <TestRunPanel onClose={() => setPanel('node')} />
            ) : panel === 'versions' ? (
              <VersionsPanel
                workflowId={workflowId}
                versions={versions}
                canEdit={canEdit}
                onRolledBack={(doc) => api.getState().load(doc)}
              />
            ) : (
              <ConfigPanel />
            )}
          </div>
          <ProblemsPanel />
        </div>
      </SuggestionsProvider>
    </ErrorsProvider>
  );
}
