import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  // Secrets never go to logs: redact the fields that could carry them if an object is logged whole.
  return pino({
    level,
    base: { service: 'engine' },
    redact: {
      paths: ['*.password', '*.secret', '*.signingSecret', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}
