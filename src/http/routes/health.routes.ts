import { Hono } from 'hono';
import type { AppEnv, HttpDeps } from '../types.ts';

const CHECK_TIMEOUT_MS = 2000;

async function withTimeout(check: () => Promise<{ ok: boolean; detail?: string }>): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<{ ok: boolean; detail: string }>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer in ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** 200 when the database and every other dependency answer; 503 naming the one that does not. */
export function healthRoute(deps: HttpDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const checks: Record<string, () => Promise<{ ok: boolean; detail?: string }>> = {
      database: async () => {
        await deps.dbHandle.ping();
        return { ok: true, detail: deps.dbHandle.kind };
      },
      ...deps.healthChecks,
    };
    const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await withTimeout(check)] as const));
    const results = Object.fromEntries(entries);
    const ok = entries.every(([, r]) => r.ok);
    return c.json({ status: ok ? 'ok' : 'unavailable', checks: results }, ok ? 200 : 503);
  });
  return app;
}
