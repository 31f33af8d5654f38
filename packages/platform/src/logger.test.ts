import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  return {
    logger: createLogger({ service: 'test', level: 'info' }, { write: (line: string) => lines.push(line) }),
    lines,
  };
}

describe('logger', () => {
  it("logs a failed query's SQL and Postgres's reason, never its bound values", () => {
    const { logger, lines } = capture();
    const cause = Object.assign(new Error('value too long for type character varying(64)'), { code: '22001' });
    const failed = new DrizzleQueryError(
      'insert into "signing_secrets" ("secret") values ($1)',
      ['whsec_s3cr3t'],
      cause,
    );
    logger.error({ err: failed }, 'query failed');
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('whsec_s3cr3t');
    expect(JSON.parse(line).err).toMatchObject({
      type: 'FailedQuery',
      // pino appends the causes' messages: Postgres's reason stays.
      message:
        'Failed query: insert into "signing_secrets" ("secret") values ($1): value too long for type character varying(64)',
    });
  });

  it('redacts secret fields of logged objects', () => {
    const { logger, lines } = capture();
    logger.info(
      { tenant: { password: 'hunter2', secret: 'whsec_x' }, req: { headers: { authorization: 'Bearer tw_ak_1' } } },
      'object',
    );
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('whsec_x');
    expect(lines[0]).not.toContain('tw_ak_1');
    expect(JSON.parse(lines[0] as string).service).toBe('test');
  });
});
