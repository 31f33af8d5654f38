import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createDb, postgresEventHistory, schemaExists } from '@tripwire/db';
import { createAddressPolicy, createJsonLookup } from '@tripwire/platform';
import { LOOKUP_MAX_RESPONSE_BYTES } from '@tripwire/rules';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type Express, Router } from 'express';
import { PgBoss } from 'pg-boss';
import { createSharedRateLimiter } from './api/bucket-rate-limit.ts';
import { ingestCors } from './api/cors.ts';
import { sameOrigin } from './api/csrf.ts';
import { errorHandler, HttpError } from './api/http-error.ts';
import { createKeyResolver } from './api/key-resolver.ts';
import { createRateLimiter } from './api/rate-limit.ts';
import { refuseUnstorableAddress } from './api/text-guard.ts';
import { adminRoutes } from './api/v1/admin-routes.ts';
import { deadLetterRoutes } from './api/v1/dead-letter-routes.ts';
import { ingestRoutes } from './api/v1/ingest-routes.ts';
import { openApiDocument } from './api/v1/openapi.ts';
import { privacyRoutes } from './api/v1/privacy-routes.ts';
import { trackingPlanRoutes } from './api/v1/tracking-plan-routes.ts';
import { workflowRoutes } from './api/v1/workflow-routes.ts';
import { createEventHub } from './debugger/event-hub.ts';
import { createRejectionRecorder } from './debugger/rejection-recorder.ts';
import { eventStreamRoute } from './debugger/stream-route.ts';
import type { WebEnv } from './env.ts';
import { createEventCatalog } from './ingest/event-catalog.ts';
import { createIngestService } from './ingest/ingest-service.ts';
import { createSuppressionCheck } from './ingest/suppression.ts';
import { createTrackingPlanCache } from './ingest/tracking-plan-check.ts';
import { createEventProducer, createTopicTail } from './kafka/kafka-client.ts';
import type { Logger } from './logger.ts';
import { createWebMetrics } from './metrics.ts';
import { countIngestion, countStored } from './observe-ingestion.ts';
import { startBacktestWorker } from './services/backtests.ts';
import { contextFactory } from './trpc/context.ts';
import { TRPC_MAX_BATCH } from './trpc/limits.ts';
import { appRouter } from './trpc/router.ts';

/**
 * The web process minus the page renderer: health, the public /v1 API and the services behind it.
 * server.ts mounts React Router on top; tests use this directly on a random port.
 */
export function createWebApp(env: WebEnv, logger: Logger) {
  const { db, close: closeDb } = createDb({
    connectionString: env.DATABASE_URL,
    max: 10,
    applicationName: 'tripwire-web',
    connectionTimeoutMillis: 10_000,
  });
  const metrics = createWebMetrics({ tenantLabels: env.METRICS_TENANT_LABELS });
  const producer = countStored(
    createEventProducer({
      brokers: env.KAFKA_BROKERS,
      clientId: 'tripwire-web',
      topic: env.EVENTS_TOPIC,
    }),
    metrics,
  );
  // The event debugger: a tail of the events topic while someone watches, and refused attempts.
  const hub = createEventHub({
    createTail: (handlers) =>
      createTopicTail({
        brokers: env.KAFKA_BROKERS,
        clientId: 'tripwire-web-debugger',
        topic: env.EVENTS_TOPIC,
        groupId: `tripwire-web-debugger-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
        ...handlers,
      }),
    onError: (err) => logger.warn({ err }, 'event debugger stream failed'),
  });
  metrics.countViewers(() => hub.viewers());
  const rejections = createRejectionRecorder({
    db,
    onRejected: ({ status, code, attributed }, n) =>
      metrics.rejected.inc({ status: String(status), code, attributed: String(attributed) }, n),
    onError: (err) => logger.warn({ err }, 'could not record refused ingestion attempts'),
  });
  const resolver = createKeyResolver({ db, connectionString: env.DATABASE_URL, logger });
  // One bucket per tenant in Postgres, shared by every web process (leased a slice at a time).
  const limiter = createSharedRateLimiter(db, createRateLimiter(), logger);
  const suppression = createSuppressionCheck(db);
  const plans = createTrackingPlanCache(db);
  const ingest = createIngestService({ db, producer, catalog: createEventCatalog(db), suppression });
  // Only for replaying dead letters: no workers, no maintenance (the engines do that).
  let boss: Promise<PgBoss> | undefined;
  const jobs = () => {
    boss ??= schemaExists(env.DATABASE_URL, env.JOBS_SCHEMA).then((exists) =>
      new PgBoss({
        connectionString: env.DATABASE_URL,
        schema: env.JOBS_SCHEMA,
        max: 2,
        supervise: false,
        schedule: false,
        // The migration made the default schema; the app role may not create schemas there.
        createSchema: !exists,
      })
        .on('error', (err) => logger.error({ err }, 'pg-boss error'))
        .start(),
    );
    // A failed start (the engines have not made the jobs schema yet) is tried again next time.
    boss.catch(() => {
      boss = undefined;
    });
    return boss;
  };

  const history = postgresEventHistory(db, { maxDays: env.HISTORY_MAX_DAYS });
  let workerRetry: NodeJS.Timeout | undefined;
  const app: Express = express();
  app.disable('x-powered-by');
  // X-Forwarded-For decides the client address (throttling) only behind a configured proxy.
  app.set('trust proxy', env.TRUST_PROXY === '' ? false : env.TRUST_PROXY);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const v1 = Router();
  v1.use(refuseUnstorableAddress);
  v1.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  const ingestPaths = ['/track', '/identify', '/batch', '/import'];
  v1.use(ingestPaths, ingestCors, countIngestion(metrics));
  v1.use(ingestRoutes({ resolver, limiter, ingest, rejections, plans }));
  // Refused ingestion attempts, shown in the event debugger; the errorHandler below answers them.
  v1.use(ingestPaths, rejections.errorHook);
  v1.use(adminRoutes({ db, resolver }));
  v1.use(privacyRoutes({ db, resolver, jobsSchema: env.JOBS_SCHEMA, suppression }));
  v1.use(trackingPlanRoutes({ db, resolver, plans }));
  v1.use(workflowRoutes({ db, resolver, history, jobs }));
  v1.use(deadLetterRoutes({ db, resolver, boss: jobs, jobsSchema: env.JOBS_SCHEMA }));
  v1.use((req, _res, next) => next(new HttpError(404, 'not_found', `No endpoint ${req.method} /v1${req.path}`)));
  v1.use(errorHandler(logger));
  app.use('/v1', v1);

  // The app's own API, for the browser: session cookie auth, so mutations must be same-origin.
  // The editor's look-up test reaches what the engine may reach: the same guard and allow list.
  const lookups = createJsonLookup({
    policy: createAddressPolicy({ allow: env.WEBHOOK_ALLOWED_HOSTS }),
    userAgent: 'Tripwire-Lookups/1.0',
    maxBytes: LOOKUP_MAX_RESPONSE_BYTES,
  });
  const createContext = contextFactory({ db, env, logger, jobs, lookups });
  app.get('/live/events', eventStreamRoute({ db, hub, createContext }));
  app.use(
    '/trpc',
    sameOrigin(env.PUBLIC_URL),
    createExpressMiddleware({
      router: appRouter,
      createContext,
      maxBatchSize: TRPC_MAX_BATCH,
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.cause ?? error, path }, 'trpc error');
      },
    }),
  );

  return {
    app,
    db,
    metrics,
    hub,
    rejections,
    createContext,
    async start() {
      await resolver.start();
      rejections.start();
      // Connect eagerly, but a broker that is down at start only makes ingestion answer 503.
      producer.connect().catch((err: unknown) => logger.warn({ err }, 'Kafka not reachable yet'));
      if (env.BACKTEST_WORKER) {
        // Until pg-boss is reachable (its schema is the engines'), tried every 10 s.
        const startWorker = () =>
          jobs()
            .then((b) => startBacktestWorker(db, history, b))
            .catch((err: unknown) => {
              logger.warn({ err }, 'backtest worker not started yet');
              workerRetry = setTimeout(startWorker, 10_000);
              workerRetry.unref();
            });
        void startWorker();
      }
    },
    async stop() {
      clearTimeout(workerRetry);
      await resolver.stop();
      await hub.stop();
      await rejections.stop();
      await limiter.stop();
      if (boss) await (await boss).stop({ graceful: false }).catch(() => {});
      await producer.disconnect().catch(() => {});
      await lookups.close();
      await closeDb();
    },
  };
}
export type WebApp = ReturnType<typeof createWebApp>;
