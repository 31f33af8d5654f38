import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  // Secrets never reach the logs, even when a whole request or object is logged by mistake.
  return pino({
    level,
    base: { service: 'web' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.key',
        '*.writeKey',
        '*.adminKey',
        '*.signingSecret',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  });
}
