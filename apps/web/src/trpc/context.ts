import type { Database } from '@tripwire/db';
import type { Request, Response } from 'express';
import type { PgBoss } from 'pg-boss';
import { readSessionToken, type Session, type SessionUser, validateSessionToken } from '../auth/session.ts';
import type { WebEnv } from '../env.ts';
import type { Logger } from '../logger.ts';

export interface AppDeps {
  db: Database;
  env: WebEnv;
  logger: Logger;
  /** pg-boss without workers, started on first use (replaying dead letters). */
  jobs: () => Promise<PgBoss>;
}

export interface Context extends AppDeps {
  session: Session | null;
  user: SessionUser | null;
  ip: string;
  secureCookies: boolean;
  setCookie(value: string): void;
}

export function contextFactory(deps: AppDeps) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<Context> => {
    const token = readSessionToken(req.headers.cookie);
    const found = token ? await validateSessionToken(deps.db, token) : null;
    return {
      ...deps,
      session: found?.session ?? null,
      user: found?.user ?? null,
      ip: req.ip ?? 'unknown',
      secureCookies: deps.env.NODE_ENV === 'production',
      setCookie: (value) => res.append('set-cookie', value),
    };
  };
}
