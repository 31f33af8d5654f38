import { useEffect, useRef, useState } from 'react';
import { type DebuggerEvent, matches } from '../../src/debugger/debugger-event.ts';

export type StreamStatus = 'connecting' | 'live' | 'interrupted';

export interface ShownEvent extends DebuggerEvent {
  /** When this page received it (ms), for "which workflows did it start" lookups. */
  seenAt: number;
}

/** Rows kept on screen, and events held while paused: the page's memory stays bounded too. */
export const MAX_ROWS = 200;

/**
 * The workspace's live events over server-sent events (/live/events). Reconnects when the
 * filters change (the server filters, so a busy workspace does not crowd out a rare event).
 * While paused, new events wait (at most MAX_ROWS, then the oldest are counted as missed).
 */
export function useEventStream(filter: { event: string; user: string }, paused: boolean) {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [events, setEvents] = useState<ShownEvent[]>([]);
  const [waiting, setWaiting] = useState(0);
  const [missed, setMissed] = useState(0);
  const held = useRef<ShownEvent[]>([]);
  const pausedRef = useRef(paused);

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && held.current.length > 0) {
      const release = held.current;
      held.current = [];
      setWaiting(0);
      setEvents((rows) => [...release.reverse(), ...rows].slice(0, MAX_ROWS));
    }
  }, [paused]);

  useEffect(() => {
    const params = new URLSearchParams();
    if (filter.event.trim()) params.set('event', filter.event.trim());
    if (filter.user.trim()) params.set('user', filter.user.trim());
    const source = new EventSource(`/live/events${params.size ? `?${params}` : ''}`);
    setStatus('connecting');
    // The server filters what comes next; the rows already shown are narrowed the same way.
    const narrowed = { event: filter.event.trim(), user: filter.user.trim() };
    setEvents((rows) => rows.filter((row) => matches(row, narrowed)));
    held.current = held.current.filter((row) => matches(row, narrowed));
    setWaiting(held.current.length);
    source.addEventListener('hello', (e) => {
      if ((JSON.parse((e as MessageEvent).data) as { live: boolean }).live) setStatus('live');
    });
    source.addEventListener('ready', () => setStatus('live'));
    source.addEventListener('unavailable', () => setStatus('interrupted'));
    source.addEventListener('missed', (e) => {
      setMissed((n) => n + (JSON.parse((e as MessageEvent).data) as { count: number }).count);
    });
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? 'interrupted' : 'connecting');
    source.onmessage = (e) => {
      const event: ShownEvent = { ...(JSON.parse(e.data) as DebuggerEvent), seenAt: Date.now() };
      if (pausedRef.current) {
        held.current.push(event);
        if (held.current.length > MAX_ROWS) {
          held.current.shift();
          setMissed((n) => n + 1);
        }
        setWaiting(held.current.length);
        return;
      }
      setEvents((rows) => [event, ...rows].slice(0, MAX_ROWS));
    };
    return () => source.close();
  }, [filter.event, filter.user]);

  return {
    status,
    events,
    waiting,
    missed,
    clear() {
      setEvents([]);
      setMissed(0);
    },
  };
}
