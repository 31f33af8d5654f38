import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { createListener } from './pg-listener.ts';

const url = process.env.DATABASE_URL as string;
const channel = `test_listen_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
afterAll(() => admin.end());

async function until(probe: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Postgres LISTEN with reconnect (real Postgres)', () => {
  it('hears notifications, and after its connection is killed reconnects, says so, and hears them again', async () => {
    const heard: string[] = [];
    let reconnects = 0;
    const listener = createListener({
      connectionString: url,
      channel,
      logger: createLogger({ service: 'test', level: 'silent' }),
      onNotification: (payload) => heard.push(payload),
      onReconnect: () => {
        reconnects++;
      },
      retryMs: 100,
    });
    await listener.start();
    await admin.query('select pg_notify($1, $2)', [channel, 'one']);
    await until(() => heard.includes('one'));

    // The server drops the listener's connection (a restart, a failover, an idle timeout).
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [
      `LISTEN "${channel}"`,
    ]);
    await until(() => reconnects === 1 && listener.connected());
    await admin.query('select pg_notify($1, $2)', [channel, 'two']);
    await until(() => heard.includes('two'));
    await listener.stop();
    expect(heard).toEqual(['one', 'two']);
  });
});
