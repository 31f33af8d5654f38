// The archiver as its own process (`npm run start:archiver -w @tripwire/engine`), for deployments
// that scale it apart from the engine; by default the engine process runs it too (HISTORY_ARCHIVER).
import { loadEnv } from '../env.ts';
import { createLogger } from '../logger.ts';
import { createArchiver } from './archiver.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const archiver = createArchiver({
  brokers: env.KAFKA_BROKERS,
  clientId: `${env.KAFKA_CLIENT_ID}-archiver`,
  groupId: env.HISTORY_GROUP_ID ?? `${env.KAFKA_GROUP_ID}-history`,
  topic: env.EVENTS_TOPIC,
  fromBeginning: env.KAFKA_FROM_BEGINNING,
  sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
  databaseUrl: env.DATABASE_URL,
  maxDays: env.HISTORY_MAX_DAYS,
  logger,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'archiver shutting down');
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  await archiver.stop().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await archiver.start();
  logger.info(
    { topic: env.EVENTS_TOPIC, group: env.HISTORY_GROUP_ID ?? `${env.KAFKA_GROUP_ID}-history` },
    'archiver started',
  );
} catch (err) {
  logger.fatal({ err }, 'archiver failed to start');
  process.exit(1);
}
