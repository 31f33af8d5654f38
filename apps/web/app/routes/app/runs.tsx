import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, EmptyState, Loading } from '@tripwire/ui';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Runs · Tripwire' }];
}

const TONE = { running: 'blue', waiting: 'amber', completed: 'green', failed: 'red' } as const;

export default function Runs() {
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.runs.recent.queryOptions({ limit: 100 }), refetchInterval: 5000 });
  return (
    <>
      <h1>Runs</h1>
      <Card title="Last 7 days">
        {runs.isPending ? <Loading /> : null}
        {runs.error ? <Alert>{errorMessage(runs.error)}</Alert> : null}
        {runs.data && runs.data.length === 0 ? (
          <EmptyState title="No runs yet">
            <p>Runs appear here when a published workflow's trigger matches an event.</p>
          </EmptyState>
        ) : null}
        {runs.data && runs.data.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>Started</th>
                <th>Workflow</th>
                <th>User</th>
                <th>Status</th>
                <th>At node</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <tr key={r.id}>
                  <td>{new Date(r.startedAt).toLocaleString()}</td>
                  <td>
                    {r.workflowName} <span className="muted">v{r.version}</span>
                  </td>
                  <td>{r.userId}</td>
                  <td>
                    <Badge tone={TONE[r.status as keyof typeof TONE] ?? 'neutral'}>{r.status}</Badge>
                    {r.error ? <span className="muted"> {r.error}</span> : null}
                  </td>
                  <td>{r.currentNode ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
    </>
  );
}
