// The web process: the /v1 API and health (src/web-app.ts) plus the React Router app.
import { createRequestHandler } from '@react-router/express';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import type { ServerBuild } from 'react-router';
import { sameOrigin } from './src/api/csrf.ts';
import { loadEnv } from './src/env.ts';
import { createLogger } from './src/logger.ts';
import { createMetricsServer } from './src/metrics.ts';
import { appRouter } from './src/trpc/router.ts';
import { createWebApp } from './src/web-app.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const dev = process.argv.includes('--dev');
const web = createWebApp(env, logger);
const { app } = web;
const sameOriginForms = sameOrigin(env.PUBLIC_URL);
await web.start();

// Loaders get a tRPC caller for the request's session: the same checks as the browser's calls.
const getLoadContext = (req: express.Request, res: express.Response) => ({
  caller: async () => appRouter.createCaller(await web.createContext({ req, res })),
});

const pages = express.Router();
pages.use(
  helmet({
    // Everything the pages load comes from this origin; no page may be framed (clickjacking of
    // "reveal secret", "delete workspace"…). React Router inlines its hydration scripts and React
    // Flow positions nodes with inline styles, hence 'unsafe-inline' for those two; Vite's dev
    // server also needs its websocket.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: dev ? ["'self'", 'ws:'] : ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    // The browser's default: same-origin form posts keep their Origin header, which the CSRF check reads.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: env.PUBLIC_URL.startsWith('https:')
      ? { maxAge: 15_552_000, includeSubDomains: false }
      : false,
  }),
);
pages.use(sameOriginForms);
pages.use(compression());
if (dev) {
  const vite = await import('vite');
  const viteServer = await vite.createServer({ server: { middlewareMode: true } });
  pages.use(viteServer.middlewares);
  pages.all(
    '*splat',
    createRequestHandler({
      build: () => viteServer.ssrLoadModule('virtual:react-router/server-build') as Promise<ServerBuild>,
      mode: 'development',
      getLoadContext,
    }),
  );
} else {
  const build = (await import(new URL('./build/server/index.js', import.meta.url).href)) as ServerBuild;
  pages.use(
    '/assets',
    express.static(new URL('./build/client/assets', import.meta.url).pathname, { immutable: true, maxAge: '1y' }),
  );
  pages.use(express.static(new URL('./build/client', import.meta.url).pathname, { maxAge: '1h' }));
  pages.all('*splat', createRequestHandler({ build, mode: 'production', getLoadContext }));
}
app.use(pages);

const metricsServer = createMetricsServer(web.metrics);
const metricsPort = await metricsServer.listen(env.WEB_METRICS_PORT, env.WEB_METRICS_HOST).catch((err: unknown) => {
  logger.fatal({ err, port: env.WEB_METRICS_PORT }, 'cannot serve /metrics (set WEB_METRICS_PORT)');
  process.exit(1);
});
const server = app.listen(env.WEB_PORT, env.WEB_HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.WEB_PORT;
  logger.info({ url: env.PUBLIC_URL, port, metricsPort }, 'web listening');
});

function shutdown() {
  void metricsServer.close();
  server.close(() => {
    void web.stop().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
