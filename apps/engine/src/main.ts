import { createEngine } from './engine.ts';
import { loadEnv } from './env.ts';
import { createLogger } from './logger.ts';

const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL);
const engine = createEngine(env, logger);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  await engine.stop().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await engine.start();
  logger.info({ topic: env.EVENTS_TOPIC }, 'engine started');
} catch (err) {
  logger.fatal({ err }, 'engine failed to start');
  process.exit(1);
}
