// Who may read GET /metrics. The figures tell an outsider how busy the company is, what fails
// and which version runs, so they are not public: with METRICS_TOKEN set, a scraper sends it as a
// bearer token (from anywhere); unset, only a client on this machine (a loopback address) may read.
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './types.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** The peer's address; undefined when the request did not come through a socket (app.request in tests). */
function remoteAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

export function metricsAccess(token: string | undefined) {
  const expected = token === undefined ? null : digest(token);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (expected) {
      const m = /^Bearer\s+(\S{1,512})$/i.exec(c.req.header('authorization') ?? '');
      if (m && timingSafeEqual(digest(m[1]!), expected)) return next();
      c.get('logger').warn({ hasToken: m !== null }, '/metrics refused: missing or wrong METRICS_TOKEN');
      return c.json({ error: { code: 'unauthorized', message: 'GET /metrics needs the METRICS_TOKEN as a bearer token' } }, 401, { 'www-authenticate': 'Bearer' });
    }
    const remote = remoteAddress(c);
    if (isLoopback(remote)) return next();
    c.get('logger').warn({ remote }, '/metrics refused: not a loopback client and METRICS_TOKEN is not set');
    return c.json({ error: { code: 'forbidden', message: 'GET /metrics is open to this machine only; set METRICS_TOKEN to read it from elsewhere' } }, 403);
  });
}
