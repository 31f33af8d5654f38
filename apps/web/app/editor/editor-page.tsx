import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeChanges, type WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Button, Dialog } from '@tripwire/ui';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import '@xyflow/react/dist/style.css';
import { errorMessage, useTRPC } from '../lib/trpc';
import { Canvas, FIT_OPTIONS } from './canvas';
import { ConfigPanel } from './config-panel';
import { EditorProvider, useEditorApi, useEditorStore } from './editor-context';
import { foresightOf } from './foresight';
import { Palette } from './palette';
import { placeNewNode } from './placement';
import { ProblemsPanel } from './problems-panel';
import { PublishReview } from './publish-review';
import { ShortcutsDialog } from './shortcuts';
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
type Panel = 'node' | 'test' | 'versions';

function Editor({ workflowId, canEdit }: EditorPageProps) {
  const trpc = useTRPC();
  const api = useEditorApi();
  const queryClient = useQueryClient();
  const errors = useValidation();
  const suggestions = useTenantSuggestions();
  const flow = useReactFlow();
  const [panel, setPanel] = useState<Panel>('node');
  const [paletteOpen, setPaletteOpen] = useState(true);
  const [panelOpen, setPanelOpen] = useState(true);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [notice, setNoticeText] = useState<string | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const [dialog, setDialog] = useState<'publish' | 'pause' | 'shortcuts' | null>(null);
  const { revision, storeNotice, readOnly, undo, redo, autoLayout, canUndo, canRedo, name } = useEditorStore((s) => ({
    revision: s.revision,
    storeNotice: s.notice,
    readOnly: s.readOnly,
    undo: s.undo,
    redo: s.redo,
    autoLayout: s.autoLayout,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    name: s.name,
  }));
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id: workflowId }));
  const latestBacktest = useQuery(trpc.history.latestBacktest.queryOptions({ workflowId }));
  const versions = (workflow.data?.versions ?? []) as VersionRow[];
  const liveVersion = workflow.data?.activeVersion ?? null;
  const live = useQuery({
    ...trpc.workflows.version.queryOptions({ id: workflowId, version: liveVersion ?? 1 }),
    enabled: liveVersion !== null,
  });
  const liveDoc = liveVersion !== null ? ((live.data?.document as WorkflowDocumentInput | undefined) ?? null) : null;
  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.workflows.get.queryKey({ id: workflowId }) });
  }, [queryClient, trpc, workflowId]);

  // mutateAsync keeps its identity across renders (the mutation object does not).
  const { mutateAsync: saveDraft } = useMutation(trpc.workflows.saveDraft.mutationOptions());
  const publish = useMutation(
    trpc.workflows.publish.mutationOptions({
      onSuccess: async (r) => {
        setDialog(null);
        setNoticeText(`Published version ${r.version}; it runs for new events within a second.`);
        await refresh();
      },
    }),
  );
  const pause = useMutation(
    trpc.workflows.unpublish.mutationOptions({
      onSuccess: async () => {
        setDialog(null);
        setNoticeText('Paused: no new runs start. Runs already waiting stop at their next step. Publish to resume.');
        await refresh();
      },
    }),
  );

  // Autosave: shortly after the last change, unless viewing a version or read-only.
  const lastSaved = useRef(0);
  const flush = useCallback(async () => {
    const state = api.getState();
    if (state.readOnly || !canEdit) return;
    // Nothing new (e.g. back from viewing a version): the draft on the server is this one.
    if (state.revision === lastSaved.current) {
      setSaveState('saved');
      return;
    }
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
    if (revision === 0 || readOnly || revision === lastSaved.current) {
      if (!readOnly) setSaveState((s) => (s === 'unsaved' ? 'saved' : s));
      return;
    }
    setSaveState('unsaved');
    const t = setTimeout(() => void flush(), 700);
    return () => clearTimeout(t);
  }, [revision, readOnly, flush]);

  // What differs from the live version, for the status line and the publish review.
  const draftDoc = useMemo(() => api.getState().document(), [api, revision, viewing]);
  const changes = useMemo(() => (liveDoc ? describeChanges(liveDoc, draftDoc) : []), [liveDoc, draftDoc]);

  const addNode = (type: string) => {
    const state = api.getState();
    const selected = state.nodes.filter((n) => n.selected);
    const after = selected.length === 1 ? selected[0] : undefined;
    const canvas = document.querySelector('.canvas')?.getBoundingClientRect();
    const view = canvas
      ? {
          topLeft: flow.screenToFlowPosition({ x: canvas.left, y: canvas.top }),
          bottomRight: flow.screenToFlowPosition({ x: canvas.right, y: canvas.bottom }),
        }
      : null;
    const position = placeNewNode(state.nodes, after, view);
    const id = state.addNode(type, position, after ? { after: after.id } : {});
    setPanel('node');
    setPanelOpen(true);
    // Keep the new node on screen (a long flow's bottom may be below the fold).
    // A node is ~100 px tall; keep a margin so its outputs are on screen too.
    if (view && !(position.y + 160 < view.bottomRight.y && position.x + 260 < view.bottomRight.x - 180)) {
      requestAnimationFrame(() =>
        flow.setCenter(position.x + 120, position.y + 40, { zoom: flow.getZoom(), duration: 200 }),
      );
    }
    return id;
  };

  const tidy = () => {
    autoLayout();
    requestAnimationFrame(() => void flow.fitView({ ...FIT_OPTIONS, duration: 200 }));
  };

  const status = viewing
    ? `Viewing v${viewing} (read-only)`
    : liveVersion !== null
      ? changes.length > 0
        ? `Live: v${liveVersion} · draft has ${changes.length} unpublished change${changes.length === 1 ? '' : 's'}`
        : `Live: v${liveVersion} · up to date`
      : versions.length > 0
        ? `Paused (last live: v${versions[0]?.version})`
        : 'Draft · not published';

  return (
    <ErrorsProvider value={errors}>
      <SuggestionsProvider value={suggestions}>
        <div className="editor">
          <div className="editor__toolbar" role="toolbar" aria-label="Editor">
            <h1 className="editor__title" title={name}>
              {name}
            </h1>
            <span
              className={`editor__live editor__live--${liveVersion !== null ? (changes.length ? 'changed' : 'live') : 'draft'}`}
              data-testid="live-status"
            >
              {status}
            </span>
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
            {liveVersion !== null ? (
              <Link className="small" to={`/app/workflows/${workflowId}/activity`}>
                Activity
              </Link>
            ) : null}
            <div className="topbar__spacer" />
            {canEdit && !readOnly ? (
              <>
                <Button
                  variant="ghost"
                  onClick={undo}
                  disabled={!canUndo}
                  aria-keyshortcuts="Control+Z"
                  title="Undo (Ctrl+Z)"
                  aria-label="Undo"
                  className="tw-button--icon"
                >
                  ↶
                </Button>
                <Button
                  variant="ghost"
                  onClick={redo}
                  disabled={!canRedo}
                  aria-keyshortcuts="Control+Shift+Z"
                  title="Redo (Ctrl+Shift+Z)"
                  aria-label="Redo"
                  className="tw-button--icon"
                >
                  ↷
                </Button>
                <Button variant="ghost" onClick={tidy} title="Arrange the nodes top to bottom">
                  Tidy up
                </Button>
              </>
            ) : null}
            <Button
              variant="ghost"
              onClick={() => setDialog('shortcuts')}
              aria-keyshortcuts="Shift+Slash"
              title="Keyboard shortcuts (?)"
              aria-label="Keyboard shortcuts"
              className="tw-button--icon"
            >
              ?
            </Button>
            <Button
              aria-pressed={panelOpen && panel === 'test'}
              onClick={() => {
                setPanel(panel === 'test' && panelOpen ? 'node' : 'test');
                setPanelOpen(true);
              }}
            >
              Test run
            </Button>
            <Button
              aria-pressed={panelOpen && panel === 'versions'}
              onClick={() => {
                setPanel(panel === 'versions' && panelOpen ? 'node' : 'versions');
                setPanelOpen(true);
              }}
            >
              Versions
            </Button>
            {canEdit && liveVersion !== null ? (
              <Button onClick={() => setDialog('pause')} disabled={readOnly}>
                Pause
              </Button>
            ) : null}
            {canEdit ? (
              <Button
                variant="primary"
                disabled={errors.length > 0 || readOnly}
                title={errors.length > 0 ? 'Fix the problems below to publish' : 'Review the changes and publish'}
                onClick={async () => {
                  setNoticeText(null);
                  await flush();
                  setDialog('publish');
                }}
              >
                Publish…
              </Button>
            ) : null}
          </div>
          {storeNotice ? (
            <div className="editor__notice">
              <Alert>
                {storeNotice}{' '}
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
          {notice ? <Alert tone="success">{notice}</Alert> : null}
          {workflow.data?.problems ? (
            <Alert>
              The live version is not running: {workflow.data.problems.map((p) => p.message).join('; ')}. Publish a
              version this release can run.
            </Alert>
          ) : null}
          {publish.error ? <Alert>{errorMessage(publish.error)}</Alert> : null}
          {pause.error ? <Alert>{errorMessage(pause.error)}</Alert> : null}
          <div className="editor__body">
            {canEdit && !readOnly ? (
              paletteOpen ? (
                <Palette onAdd={addNode} onCollapse={() => setPaletteOpen(false)} />
              ) : (
                <button
                  type="button"
                  className="rail"
                  onClick={() => setPaletteOpen(true)}
                  aria-label="Show the node palette"
                >
                  <span>Nodes ›</span>
                </button>
              )
            ) : null}
            <Canvas onShortcuts={() => setDialog('shortcuts')} />
            {panelOpen ? (
              <aside
                className="panel"
                aria-label={panel === 'test' ? 'Test run' : panel === 'versions' ? 'Versions' : 'Node settings'}
              >
                <button
                  type="button"
                  className="panel__collapse"
                  onClick={() => setPanelOpen(false)}
                  aria-label="Hide the side panel"
                >
                  ›
                </button>
                {panel === 'test' ? (
                  <TestRunPanel onClose={() => setPanel('node')} />
                ) : panel === 'versions' ? (
                  <VersionsPanel
                    workflowId={workflowId}
                    versions={versions}
                    canEdit={canEdit}
                    onViewing={setViewing}
                    onRolledBack={async (doc) => {
                      api.getState().load(doc);
                      lastSaved.current = api.getState().revision;
                      setSaveState('saved');
                      await refresh();
                    }}
                  />
                ) : (
                  <ConfigPanel />
                )}
              </aside>
            ) : (
              <button
                type="button"
                className="rail rail--right"
                onClick={() => setPanelOpen(true)}
                aria-label="Show the side panel"
              >
                <span>‹ Settings</span>
              </button>
            )}
          </div>
          <ProblemsPanel />
          <PublishReview
            open={dialog === 'publish'}
            live={liveDoc}
            liveVersion={liveVersion}
            draft={draftDoc}
            changes={changes}
            busy={publish.isPending}
            foresight={foresightOf(latestBacktest.data, draftDoc)}
            onPublish={() => publish.mutate({ id: workflowId })}
            onClose={() => setDialog(null)}
          />
          <Dialog
            open={dialog === 'pause'}
            title={`Pause “${name}”?`}
            confirmLabel="Pause"
            tone="danger"
            busy={pause.isPending}
            onConfirm={() => pause.mutate({ id: workflowId })}
            onClose={() => setDialog(null)}
          >
            <p>
              Live version v{liveVersion} stops starting new runs at once. The draft, the versions and the run history
              stay; publish again to resume.
            </p>
          </Dialog>
          <ShortcutsDialog open={dialog === 'shortcuts'} onClose={() => setDialog(null)} />
        </div>
      </SuggestionsProvider>
    </ErrorsProvider>
  );
}
