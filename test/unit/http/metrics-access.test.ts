// Who may read /metrics: a loopback peer without METRICS_TOKEN, anyone with the right bearer
// token when it is set; a request with no socket to tell its peer (app.request) is not loopback.
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { isLoopback, metricsAccess } from '../../../src/http/metrics-access.ts';
import type { AppEnv } from '../../../src/http/types.ts';

function appWith(token: string | undefined) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('logger', pino({ level: 'silent' }));
    await next();
  });
  app.get('/metrics', metricsAccess(token), (c) => c.text('figures'));
  return app;
}

describe('/metrics access', () => {
  it('loopback addresses, IPv4, IPv6 and IPv4-mapped, and nothing else', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of [undefined, '', '10.0.0.1', '192.0.2.2', '::ffff:10.0.0.1', 'fd00::2', '::', '0.0.0.0', '1270.0.0.1']) expect(isLoopback(a)).toBe(false);
  });

  it('without METRICS_TOKEN a request whose peer is unknown is refused', async () => {
    const res = await appWith(undefined).request('/metrics');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('with METRICS_TOKEN only the right bearer token reads it', async () => {
    const app = appWith('metrics-token-0123456789abcdef');
    expect((await app.request('/metrics')).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789abcdeX' } })).status).toBe(401);
    expect((await app.request('/metrics', { headers: { authorization: 'Basic bWV0cmljcw==' } })).status).toBe(401);
    const ok = await app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789abcdef' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('figures');
  });
});
