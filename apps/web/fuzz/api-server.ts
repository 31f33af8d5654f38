// The web app's API (the /v1 API and tRPC, exactly as server.ts mounts them; server.ts adds only the
// pages) in a process of its own on 127.0.0.1, so the fuzz suite can tell a 5xx from a crash.
// Prints one JSON line with its port when it listens.
import type { AddressInfo } from 'node:net';
import { loadEnv } from '../src/env.ts';
import { createLogger } from '../src/logger.ts';
import { createWebApp } from '../src/web-app.ts';

const env = loadEnv();
const web = createWebApp(env, createLogger(env.LOG_LEVEL));
await web.start();
const server = web.app.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'fuzz api listening', port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => server.close(() => void web.stop().finally(() => process.exit(0))));
