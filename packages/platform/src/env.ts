import { z } from 'zod';

// Pieces of the apps' environment schemas (each app keeps one env.ts that parses it once at start).

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** "a, b,c" -> ["a", "b", "c"]; empty items dropped. */
export const commaList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Kafka bootstrap servers, comma-separated host:port. */
export const kafkaBrokers = z
  .string()
  .min(1)
  .pipe(commaList)
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1));

/** true/false/1/0. */
export const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Parses the environment once at start; on failure prints every problem, for a person, and exits. */
export function loadEnv<S extends z.ZodType>(
  schema: S,
  app: string,
  source: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  console.error(`[${app}] invalid environment:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
