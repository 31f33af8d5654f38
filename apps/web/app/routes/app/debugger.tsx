import { useQuery } from '@tanstack/react-query';
import { Button, Card, EmptyState, TextField } from '@tripwire/ui';
import { useDeferredValue, useMemo, useState } from 'react';
import { EventsTable, type Triggered } from '../../debugger/events-table';
import { RejectionsCard } from '../../debugger/rejections-card';
import { useEventStream } from '../../debugger/use-event-stream';
import { useTRPC } from '../../lib/trpc';
import '../../observability.css';

export function meta() {
  return [{ title: 'Event debugger · Tripwire' }];
}

/** Events started workflows within this long after arriving, or the lookup stops asking. */
const LOOKUP_MS = 2 * 60_000;
const CURL = `curl -u "$WRITE_KEY:" -H 'content-type: application/json' \\
  -d '{"userId":"u1","event":"signup"}' <this address>/v1/track`;
const STATUS = { connecting: 'Connecting…', live: 'Live', interrupted: 'Interrupted — reconnecting…' } as const;

export default function EventDebugger() {
  const trpc = useTRPC();
  const [event, setEvent] = useState('');
  const [user, setUser] = useState('');
  const [paused, setPaused] = useState(false);
  const filter = useDeferredValue(useMemo(() => ({ event, user }), [event, user]));
  const stream = useEventStream(filter, paused);

  const recent = stream.events
    .filter((e) => Date.now() - e.seenAt < LOOKUP_MS)
    .slice(0, 100)
    .map((e) => e.messageId);
  const runs = useQuery({
    ...trpc.eventDebugger.triggered.queryOptions({ messageIds: recent }),
    enabled: recent.length > 0,
    refetchInterval: 2000,
  });
  const triggered = useMemo(() => {
    const byMessage = new Map<string, Triggered[]>();
    for (const r of runs.data ?? []) byMessage.set(r.messageId, [...(byMessage.get(r.messageId) ?? []), r]);
    return byMessage;
  }, [runs.data]);

  return (
    <>
      <h1>Event debugger</h1>
      <p className="lede">
        Events reaching this workspace through the API, as they arrive, and the workflows each one started.
      </p>
      <Card title="Incoming events">
        <div className="stream-bar">
          <span className="stream-status" role="status" data-live={stream.status === 'live'}>
            {paused ? 'Paused' : STATUS[stream.status]}
          </span>
          <Button variant={paused ? 'primary' : 'secondary'} onClick={() => setPaused((p) => !p)}>
            {paused ? `Resume${stream.waiting ? ` (${stream.waiting} new)` : ''}` : 'Pause'}
          </Button>
          <Button variant="ghost" onClick={stream.clear}>
            Clear
          </Button>
          {stream.missed > 0 ? (
            <span className="muted">
              {stream.missed.toLocaleString()} events arrived faster than shown and were skipped
            </span>
          ) : null}
        </div>
        <search aria-label="Filter events" className="inline-form filters">
          <TextField label="Event name contains" value={event} onChange={(e) => setEvent(e.target.value)} />
          <TextField label="User contains" value={user} onChange={(e) => setUser(e.target.value)} />
        </search>
        {stream.events.length === 0 ? (
          <EmptyState title={stream.status === 'live' ? 'Waiting for events…' : 'Connecting…'}>
            <p>Send one with a write key from the Keys page:</p>
            <pre className="json">{CURL}</pre>
          </EmptyState>
        ) : (
          <EventsTable events={stream.events} triggered={triggered} />
        )}
      </Card>
      <RejectionsCard />
    </>
  );
}
