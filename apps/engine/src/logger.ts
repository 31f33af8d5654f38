import { withoutQueryValues } from '@tripwire/db';
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  // Secrets never go to logs: redact the fields that could carry them if an object is logged whole.
  return pino(
    {
      level,
      base: { service: 'engine' },
      serializers: { err: (error: unknown) => pino.stdSerializers.err(withoutQueryValues(error) as Error) },
      redact: {
        paths: ['*.password', '*.secret', '*.signingSecret', '*.authorization', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
