import type { Database } from '@tripwire/db';
import type { JsonLookup } from '@tripwire/platform';
import type { Request, Response } from 'express';
import type { PgBoss } from 'pg-boss';
import { readDeviceToken } from '../auth/devices.ts';
import { readSessionToken, type Session, type SessionUser, validateSessionToken } from '../auth/session.ts';
import type { WebEnv } from '../env.ts';
import type { Logger } from '../logger.ts';

export interface AppDeps {
  db: Database;
  env: WebEnv;
  logger: Logger;
  /** pg-boss without workers, started on first use (replaying dead letters). */
  jobs: () => Promise<PgBoss>;
  /** GET for JSON behind the engine's address guard (the editor's look-up test). */
  lookups: Pick<JsonLookup, 'get'>;
}

export interface Context extends AppDeps {
  session: Session | null;
  user: SessionUser | null;
  /** The client's address: the socket's, or X-Forwarded-For's only behind a configured proxy (TRUST_PROXY). */
  ip: string;
  /** The browser's known-device token (auth/devices.ts), if it has one. */
  deviceToken: string | null;
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
      deviceToken: readDeviceToken(req.headers.cookie),
      secureCookies: deps.env.NODE_ENV === 'production',
      setCookie: (value) => res.append('set-cookie', value),
    };
  };
}
