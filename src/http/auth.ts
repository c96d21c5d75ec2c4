import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { Db } from '../../db/client.ts';
import { adminTokenActor, userActor } from '../crm/actor.ts';
import { findUserByToken } from '../crm/api-tokens.ts';
import type { AppEnv } from './types.ts';

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Bearer auth: the ADMIN_TOKEN is an admin; other tokens are looked up by their hash. */
export function bearerAuth(db: Db, adminToken: string | undefined) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S{8,512})$/i.exec(header);
    if (!m) throw new HTTPException(401, { message: 'a bearer token is required' });
    const token = m[1]!;
    if (adminToken && sameSecret(token, adminToken)) {
      c.set('actor', adminTokenActor);
      return next();
    }
    const user = await findUserByToken(db, token);
    if (!user) throw new HTTPException(401, { message: 'unknown or revoked token' });
    c.set('actor', userActor(user));
    return next();
  });
}
