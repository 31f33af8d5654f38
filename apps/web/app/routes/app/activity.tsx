import { useQuery } from '@tanstack/react-query';
import type { WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Card, EmptyState, Loading } from '@tripwire/ui';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, useTRPC } from '../../lib/trpc';

const ReadOnlyFlow = lazy(() => import('../../flow-view/read-only-flow').then((m) => ({ default: m.ReadOnlyFlow })));

const WINDOWS = [
  ['1h', 'Last hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
] as const;
const WINDOW_MS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;

export function meta() {
  return [{ title: 'Activity · Tripwire' }];
}

/** The live version on a canvas with how many runs went where; a count opens those runs. */
export default function Activity() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [window, setWindow] = useState<keyof typeof WINDOW_MS>('24h');
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id }));
  const counts = useQuery({
    ...trpc.runs.counts.queryOptions({ workflowId: id, window }),
    refetchInterval: 10_000,
  });
  const version = counts.data?.version;
  const document = useQuery({
    ...trpc.workflows.version.queryOptions({ id, version: version ?? 1 }),
    enabled: typeof version === 'number',
  });
  const onCount = useCallback(
    (nodeId: string) => {
      const from = new Date(Date.now() - WINDOW_MS[window]).toISOString();
      navigate(`/app/runs?workflowId=${id}&version=${version}&nodeId=${encodeURIComponent(nodeId)}&from=${from}`);
    },
    [navigate, id, version, window],
  );
  if (workflow.error) return <Alert>{errorMessage(workflow.error)}</Alert>;
  return (
    <>
      <p className="muted small">
        <Link to={`/app/workflows/${id}`}>{workflow.data?.name ?? 'Workflow'}</Link> › activity ·{' '}
        <Link to={`/app/workflows/${id}/why`}>Why (not)?</Link> ·{' '}
        <Link to={`/app/workflows/${id}/backtest`}>Backtest</Link>
      </p>
      <h1>Activity {version ? <span className="muted">v{version}, live</span> : null}</h1>
      <div className="segmented" role="radiogroup" aria-label="Time window">
        {WINDOWS.map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="window"
              value={value}
              checked={window === value}
              onChange={() => setWindow(value)}
            />
            {label}
          </label>
        ))}
      </div>
      {counts.error ? <Alert>{errorMessage(counts.error)}</Alert> : null}
      {counts.data && counts.data.version === null ? (
        <Card>
          <EmptyState title="Not published">
            <p>Publish this workflow to see how many runs go where.</p>
          </EmptyState>
        </Card>
      ) : null}
      {document.data && counts.data?.counts && mounted ? (
        <Suspense fallback={<Loading label="Drawing the flow…" />}>
          <ReadOnlyFlow
            document={document.data.document as WorkflowDocumentInput}
            counts={counts.data.counts}
            onCount={onCount}
            label="The live version with the number of runs into and out of each node"
          />
        </Suspense>
      ) : counts.isPending ? (
        <Loading />
      ) : null}
      <p className="muted small">
        Counted as runs go; an edge shows the runs that left its node by that output. Select a node's count to see those
        runs.
      </p>
    </>
  );
}
