import type { TailMessage, TopicTail } from '../kafka/kafka-client.ts';
import { type DebuggerEvent, toDebuggerEvent } from './debugger-event.ts';
import type { Viewer } from './viewer.ts';

export type TailState = 'stopped' | 'starting' | 'live' | 'failed';

export interface EventHubOptions {
  /** Makes a tail of the events topic (a fresh consumer group each time). */
  createTail(handlers: { onMessages(m: TailMessage[]): void; onReady(): void; onCrash(e: unknown): void }): TopicTail;
  /** How long the tail keeps running after the last viewer left (a page reload should not rejoin). */
  idleStopMs?: number;
  /** Wait before starting a new tail after one failed. */
  retryMs?: number;
  maxViewers?: number;
  maxViewersPerTenant?: number;
  onError?(error: unknown): void;
}

export class TooManyViewers extends Error {
  constructor() {
    super('Too many live views of the event debugger are open; close one or try again in a minute');
  }
}

/**
 * Fans the events topic out to the viewers of the event debugger in this web process. Every web
 * process tails the whole topic on its own (any process may hold a viewer, whichever ingested the
 * event), but only while someone watches, and it parses only the messages of tenants being
 * watched: the Kafka key starts with the tenant id.
 */
export function createEventHub({
  createTail,
  idleStopMs = 3 * 60_000,
  retryMs = 5000,
  maxViewers = 200,
  maxViewersPerTenant = 20,
  onError = () => {},
}: EventHubOptions) {
  const viewers = new Map<string, Set<Viewer>>();
  let count = 0;
  let tail: TopicTail | undefined;
  let state: TailState = 'stopped';
  let idleTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  const decoder = new TextDecoder();

  const broadcast = (type: string, data: unknown) => {
    for (const set of viewers.values()) for (const v of set) v.send(type, data);
  };

  function onMessages(messages: TailMessage[]) {
    for (const m of messages) {
      const key = m.key ? decoder.decode(m.key) : '';
      const tenantId = key.slice(0, key.indexOf(':'));
      const set = viewers.get(tenantId);
      if (!set) continue;
      const event = toDebuggerEvent(m.value);
      // The key and the envelope are written together by ingestion; both must name the tenant.
      if (!event || event.tenantId !== tenantId) continue;
      const { tenantId: _tenant, ...shown } = event;
      for (const v of set) v.push(shown satisfies DebuggerEvent);
    }
  }

  function startTail() {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    if (tail) return;
    state = 'starting';
    const current = createTail({
      onMessages,
      onReady: () => {
        if (tail !== current) return;
        state = 'live';
        broadcast('ready', { live: true });
      },
      onCrash: (error) => failed(current, error),
    });
    tail = current;
    current.start().catch((error: unknown) => failed(current, error));
  }

  /** Tells the viewers, and tries again in a few seconds while anyone is still watching. */
  function failed(which: TopicTail, error: unknown) {
    if (tail !== which) return;
    state = 'failed';
    tail = undefined;
    onError(error);
    void which.stop().catch(() => {});
    broadcast('unavailable', { message: 'The live stream is interrupted; reconnecting…' });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (count > 0) startTail();
    }, retryMs);
    retryTimer.unref();
  }

  async function stopTail() {
    const current = tail;
    tail = undefined;
    state = 'stopped';
    await current?.stop().catch(onError);
  }

  return {
    /** Adds a viewer (starting the tail if needed); returns its removal. Throws TooManyViewers. */
    join(viewer: Viewer): () => void {
      const set = viewers.get(viewer.tenantId) ?? new Set<Viewer>();
      if (count >= maxViewers || set.size >= maxViewersPerTenant) throw new TooManyViewers();
      set.add(viewer);
      viewers.set(viewer.tenantId, set);
      count++;
      if (state !== 'failed') startTail();
      viewer.send('hello', { live: state === 'live' });
      let left = false;
      return () => {
        if (left) return;
        left = true;
        set.delete(viewer);
        count--;
        if (set.size === 0) viewers.delete(viewer.tenantId);
        if (count === 0 && tail) {
          idleTimer = setTimeout(() => void stopTail(), idleStopMs);
          idleTimer.unref();
        }
      };
    },
    state: () => state,
    viewers: () => count,
    async stop() {
      clearTimeout(idleTimer);
      clearTimeout(retryTimer);
      count = 0;
      await stopTail();
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
