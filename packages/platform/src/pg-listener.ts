import pg from 'pg';
import type { Logger } from './logger.ts';

export interface ListenerOptions {
  connectionString: string;
  channel: string;
  logger: Logger;
  onNotification(payload: string): void;
  /**
   * The connection was lost and is back: notifications in between are gone, so whatever they keep
   * current must be reloaded (or forgotten).
   */
  onReconnect?(): void | Promise<void>;
  /** Wait before the first reconnect attempt; doubles up to 30 s while Postgres stays away. */
  retryMs?: number;
}

/**
 * LISTEN on a channel on a connection of its own, reconnecting until stopped. `start` resolves when
 * listening (or rejects: the caller decides whether that is fatal); after a loss it retries with
 * backoff and calls onReconnect once it listens again.
 */
export function createListener({
  connectionString,
  channel,
  logger,
  onNotification,
  onReconnect,
  retryMs = 1000,
}: ListenerOptions) {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function connect() {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      if (msg.payload !== undefined) onNotification(msg.payload);
    });
    c.on('error', (err) => {
      if (stopped || client !== c) return;
      logger.warn({ err, channel }, 'notification listener lost; reconnecting');
      client = undefined;
      void c.end().catch(() => {});
      retry(retryMs);
    });
    await c.connect();
    await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    client = c;
  }

  function retry(delay: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      connect()
        .then(() => onReconnect?.())
        .catch((err: unknown) => {
          logger.warn({ err, channel, retryInMs: Math.min(delay * 2, 30_000) }, 'notification listener still down');
          retry(Math.min(delay * 2, 30_000));
        });
    }, delay);
    timer.unref();
  }

  return {
    start: connect,
    /** Listening right now. */
    connected: () => client !== undefined,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
