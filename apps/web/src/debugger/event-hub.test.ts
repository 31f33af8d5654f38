import { describe, expect, it } from 'vitest';
import type { TailMessage } from '../kafka/kafka-client.ts';
import { createEventHub, TooManyViewers } from './event-hub.ts';
import { createViewer, type EventSink } from './viewer.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function envelope(tenantId: string, userId: string, event: string, properties: object = {}): TailMessage {
  const value = { v: 1, type: 'track', tenantId, messageId: `m-${Math.random()}`, userId, event, properties };
  return {
    key: Buffer.from(`${tenantId}:${userId}`),
    value: Buffer.from(JSON.stringify({ ...value, timestamp: 'now', receivedAt: 'now' })),
  };
}

/** A socket whose buffer takes `room` writes before it asks the writer to wait for 'drain'. */
function socket(room = Number.POSITIVE_INFINITY) {
  const frames: string[] = [];
  let drain: (() => void) | undefined;
  let free = room;
  const sink: EventSink = {
    write(chunk) {
      frames.push(chunk);
      return --free > 0;
    },
    once(_event, listener) {
      drain = listener;
    },
  };
  const events = () =>
    frames.filter((f) => f.startsWith('data:')).map((f) => JSON.parse(f.slice(6)) as { name: string; userId: string });
  return {
    sink,
    frames,
    events,
    drain(more = Number.POSITIVE_INFINITY) {
      free = more;
      const d = drain;
      drain = undefined;
      d?.();
    },
  };
}

function fakeTail() {
  const handlers: { onMessages?(m: TailMessage[]): void; onReady?(): void; onCrash?(e: unknown): void } = {};
  let starts = 0;
  let stops = 0;
  return {
    create(h: typeof handlers) {
      Object.assign(handlers, h);
      return {
        start: async () => {
          starts++;
        },
        stop: async () => {
          stops++;
        },
      };
    },
    deliver: (...m: TailMessage[]) => handlers.onMessages?.(m),
    ready: () => handlers.onReady?.(),
    crash: (e: unknown) => handlers.onCrash?.(e),
    get starts() {
      return starts;
    },
    get stops() {
      return stops;
    },
  };
}

describe('event hub', () => {
  it("starts the tail for the first viewer and shows each viewer only its tenant's events, filtered", () => {
    const tail = fakeTail();
    const hub = createEventHub({ createTail: (h) => tail.create(h) });
    const a = socket();
    const aFiltered = socket();
    const b = socket();
    hub.join(createViewer(A, {}, a.sink));
    hub.join(createViewer(A, { event: 'CHECK', user: 'ann' }, aFiltered.sink));
    hub.join(createViewer(B, {}, b.sink));
    expect(tail.starts).toBe(1);
    tail.ready();
    expect(a.frames.some((f) => f.startsWith('event: ready'))).toBe(true);

    tail.deliver(envelope(A, 'ann', 'checkout'), envelope(B, 'bob', 'signup'), envelope(A, 'al', 'checkout'));
    expect(a.events().map((e) => e.userId)).toEqual(['ann', 'al']);
    expect(aFiltered.events().map((e) => e.userId)).toEqual(['ann']);
    expect(b.events().map((e) => e.name)).toEqual(['signup']);
  });

  it('ignores a message whose envelope names another tenant than its key', () => {
    const tail = fakeTail();
    const hub = createEventHub({ createTail: (h) => tail.create(h) });
    const a = socket();
    hub.join(createViewer(A, {}, a.sink));
    const forged = envelope(B, 'eve', 'steal');
    tail.deliver({ key: Buffer.from(`${A}:eve`), value: forged.value });
    expect(a.events()).toEqual([]);
  });

  it('keeps at most the ring for a slow viewer, dropping the oldest, and says how many it missed', () => {
    const tail = fakeTail();
    const hub = createEventHub({ createTail: (h) => tail.create(h) });
    const slow = socket(2); // 'hello' and one event fit, then the socket is full
    const viewer = createViewer(A, {}, slow.sink, 5);
    hub.join(viewer);
    for (let i = 0; i < 20; i++) tail.deliver(envelope(A, `u${i}`, 'tick'));
    expect(viewer.buffered).toBe(5);
    expect(viewer.dropped).toBe(14);
    slow.drain();
    expect(slow.frames.find((f) => f.startsWith('event: missed'))).toBe('event: missed\ndata: {"count":14}\n\n');
    expect(slow.events().map((e) => e.userId)).toEqual(['u0', 'u15', 'u16', 'u17', 'u18', 'u19']);
  });

  it('stops the tail a while after the last viewer leaves, and refuses viewers over the limit', async () => {
    const tail = fakeTail();
    const hub = createEventHub({ createTail: (h) => tail.create(h), idleStopMs: 20, maxViewersPerTenant: 1 });
    const leave = hub.join(createViewer(A, {}, socket().sink));
    expect(() => hub.join(createViewer(A, {}, socket().sink))).toThrow(TooManyViewers);
    leave();
    leave();
    expect(hub.viewers()).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(tail.stops).toBe(1);
    expect(hub.state()).toBe('stopped');
    hub.join(createViewer(A, {}, socket().sink));
    expect(tail.starts).toBe(2);
  });

  it('tells viewers when the tail fails and starts a new one', async () => {
    const tail = fakeTail();
    const errors: unknown[] = [];
    const hub = createEventHub({ createTail: (h) => tail.create(h), retryMs: 10, onError: (e) => errors.push(e) });
    const a = socket();
    hub.join(createViewer(A, {}, a.sink));
    tail.crash(new Error('broker gone'));
    expect(a.frames.some((f) => f.startsWith('event: unavailable'))).toBe(true);
    expect(hub.state()).toBe('failed');
    await new Promise((r) => setTimeout(r, 40));
    expect(tail.starts).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
