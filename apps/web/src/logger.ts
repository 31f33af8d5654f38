import { createLogger as platformLogger } from '@tripwire/platform';
import type { pino } from 'pino';

export type { Logger } from '@tripwire/platform';

/** The web app's logger (service "web"); redaction and query-error handling are the platform's. */
export const createLogger = (level: string, destination?: pino.DestinationStream) =>
  platformLogger({ service: 'web', level }, destination);
