import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card } from '@tripwire/ui';
import { errorMessage, useTRPC } from '../lib/trpc';

const WHAT: Record<number, string> = {
  // Stored, but off the tracking plan (flagged, or with properties dropped).
  202: 'Off the tracking plan',
  400: 'Invalid',
  401: 'Wrong key',
  403: 'Wrong key scope',
  413: 'Too large',
  429: 'Over the rate',
  503: 'Not stored',
};

/** Ingestion attempts refused in the last hour, so "my events do not arrive" has an answer. */
export function RejectionsCard() {
  const trpc = useTRPC();
  const rejections = useQuery({ ...trpc.eventDebugger.rejections.queryOptions(), refetchInterval: 5000 });
  const rows = rejections.data ?? [];
  return (
    <Card title="Refused in the last hour">
      <p className="muted">
        Requests to /v1 that were turned away, and events stored although they broke the tracking plan (202). A request
        with a key nobody recognises (not even by its first characters) cannot be tied to a workspace and is not listed
        here.
      </p>
      {rejections.error ? <Alert>{errorMessage(rejections.error)}</Alert> : null}
      {rejections.data && rows.length === 0 ? <p>Nothing was refused in the last hour.</p> : null}
      {rows.length > 0 ? (
        <table className="table" aria-label="Refused requests">
          <thead>
            <tr>
              <th>Last seen</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Endpoint</th>
              <th>Key</th>
              <th className="right">Times</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.lastAt).toLocaleTimeString()}</td>
                <td>
                  <Badge tone={r.status === 202 || r.status === 429 || r.status === 503 ? 'amber' : 'red'}>
                    {r.status} {WHAT[r.status] ?? ''}
                  </Badge>
                </td>
                <td className="dl-error">{r.reason}</td>
                <td>
                  <code>{r.endpoint}</code>
                </td>
                <td>{r.keyPrefix ? <code>{r.keyPrefix}…</code> : '—'}</td>
                <td className="right">{r.count.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Card>
  );
}
