import { Badge } from '@tripwire/ui';
import { Link } from 'react-router';
import type { ShownEvent } from './use-event-stream';

export interface Triggered {
  messageId: string;
  runId: string;
  workflowId: string;
  workflowName: string;
  status: string;
}

const time = (iso: string) => (iso ? new Date(iso).toLocaleTimeString() : '—');

/** The live events, newest first, with the workflows each one started. */
export function EventsTable({ events, triggered }: { events: ShownEvent[]; triggered: Map<string, Triggered[]> }) {
  return (
    <table className="table events-table" aria-label="Live events">
      <thead>
        <tr>
          <th>Received</th>
          <th>Event</th>
          <th>User</th>
          <th>Properties</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const runs = triggered.get(e.messageId) ?? [];
          return (
            <tr key={e.messageId} className={Date.now() - e.seenAt < 1500 ? 'is-new' : undefined}>
              <td title={`sent at ${e.timestamp}`}>{time(e.receivedAt)}</td>
              <td>{e.type === 'track' ? <strong>{e.name}</strong> : <Badge tone="blue">identify</Badge>}</td>
              <td>{e.userId}</td>
              <td>
                <details>
                  <summary className="props">{e.data.length > 80 ? `${e.data.slice(0, 80)}…` : e.data}</summary>
                  <pre className="json">
                    {pretty(e.data)}
                    {e.truncated ? '\n… (cut: only the first 4 KB are shown)' : ''}
                  </pre>
                </details>
              </td>
              <td>
                {runs.length === 0 ? (
                  <span className="muted">no workflow</span>
                ) : (
                  <ul className="plain">
                    {runs.map((r) => (
                      <li key={r.runId}>
                        <Link to={`/app/workflows/${r.workflowId}`}>{r.workflowName}</Link>{' '}
                        <span className="muted">({r.status})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}
