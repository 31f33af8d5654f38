import { withoutQueryValues } from '@tripwire/db';
import { pino } from 'pino';

export type Logger = pino.Logger;

/** Fields that can carry a secret if an object is logged whole; every app redacts these. */
const SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.signingSecret',
  '*.key',
  '*.writeKey',
  '*.adminKey',
];

/**
 * The apps' logger: JSON lines with the service's name, secrets redacted, and a failed query logged
 * with its SQL and Postgres's reason but never its bound values.
 */
export function createLogger(
  { service, level, redact = [] }: { service: string; level: string; redact?: string[] },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      serializers: { err: (error: unknown) => pino.stdSerializers.err(withoutQueryValues(error) as Error) },
      redact: { paths: [...SECRET_PATHS, ...redact], censor: '[redacted]' },
    },
    destination,
  );
}
