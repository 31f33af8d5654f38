// The web process: Express serving the React Router app (and, later, the /v1 public API).
import { createRequestHandler } from '@react-router/express';
import compression from 'compression';
import express from 'express';
import type { ServerBuild } from 'react-router';
import { loadEnv } from './src/env.ts';

const env = loadEnv();
const dev = process.argv.includes('--dev');
const app = express();
app.disable('x-powered-by');
app.use(compression());

app.get('/healthz', (_req, res) => {
  res.json({ status: 'ok' });
});

if (dev) {
  const vite = await import('vite');
  const viteServer = await vite.createServer({ server: { middlewareMode: true } });
  app.use(viteServer.middlewares);
  app.all(
    '*splat',
    createRequestHandler({
      build: () => viteServer.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>,
      mode: 'development',
    }),
  );
} else {
  const buildUrl = new URL('./build/server/index.js', import.meta.url);
  const build = (await import(buildUrl.href)) as ServerBuild;
  app.use(
    '/assets',
    express.static(new URL('./build/client/assets', import.meta.url).pathname, { immutable: true, maxAge: '1y' }),
  );
  app.use(express.static(new URL('./build/client', import.meta.url).pathname, { maxAge: '1h' }));
  app.all('*splat', createRequestHandler({ build, mode: 'production' }));
}

const server = app.listen(env.WEB_PORT, env.WEB_HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.WEB_PORT;
  console.log(JSON.stringify({ level: 'info', service: 'web', msg: 'web listening', url: env.PUBLIC_URL, port }));
});

function shutdown() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
