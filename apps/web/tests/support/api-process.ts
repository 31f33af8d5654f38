// The web app's /v1 API as a process of its own (node tests/support/api-process.ts), for tests that
// need several web processes: prints {"url": …} once listening, stops on SIGTERM. EVENTS_TOPIC comes
// from the environment so the processes share one topic.
import { startApi } from './api-fixture.ts';

const api = await startApi('api-process', { EVENTS_TOPIC: process.env.EVENTS_TOPIC as string });
console.log(JSON.stringify({ url: api.url }));
process.once('SIGTERM', () => {
  void api.stop().finally(() => process.exit(0));
});
