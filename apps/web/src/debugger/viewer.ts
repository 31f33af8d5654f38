import type { DebuggerEvent, ViewerFilter } from './debugger-event.ts';
import { matches } from './debugger-event.ts';

/** The part of an HTTP response a viewer writes to (an SSE stream). */
export interface EventSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

export interface Viewer {
  readonly tenantId: string;
  push(event: DebuggerEvent): void;
  /** Sends a named server-sent event at once (status messages, not counted in the ring). */
  send(type: string, data: unknown): void;
  /** Events dropped because the viewer read slower than they came. */
  readonly dropped: number;
  readonly buffered: number;
}

/** Events waiting for one slow viewer; the oldest go first, and the viewer is told how many. */
export const RING_SIZE = 200;

const frame = (type: string | null, data: unknown) =>
  `${type ? `event: ${type}\n` : ''}data: ${JSON.stringify(data)}\n\n`;

/**
 * One connected viewer: events matching its filter are queued in a bounded ring and written
 * while the socket accepts them; when it does not (a slow or paused reader), the ring fills and
 * drops the oldest, and the next write starts with `event: missed` and the count.
 */
export function createViewer(tenantId: string, filter: ViewerFilter, sink: EventSink, ringSize = RING_SIZE): Viewer {
  const ring: string[] = [];
  let dropped = 0;
  let unreported = 0;
  let waiting = false;

  const flush = () => {
    waiting = false;
    if (unreported > 0) {
      const ok = sink.write(frame('missed', { count: unreported }));
      unreported = 0;
      if (!ok) return wait();
    }
    while (ring.length > 0) {
      if (!sink.write(ring.shift() as string)) return wait();
    }
  };
  const wait = () => {
    if (waiting) return;
    waiting = true;
    sink.once('drain', flush);
  };

  return {
    tenantId,
    push(event) {
      if (!matches(event, filter)) return;
      ring.push(frame(null, event));
      if (ring.length > ringSize) {
        ring.shift();
        dropped++;
        unreported++;
      }
      if (!waiting) flush();
    },
    send(type, data) {
      sink.write(frame(type, data));
    },
    get dropped() {
      return dropped;
    },
    get buffered() {
      return ring.length;
    },
  };
}
