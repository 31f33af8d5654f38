import { withoutQueryValues } from '@tripwire/db';
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  // Secrets never reach the logs, even when a whole request or object is logged by mistake.
  return pino(
    {
      level,
      base: { service: 'web' },
      serializers: { err: (error: unknown) => pino.stdSerializers.err(withoutQueryValues(error) as Error) },
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
    },
    destination,
  );
}
