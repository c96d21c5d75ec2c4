// While Postgres cannot be reached the API answers 503 database_unavailable with Retry-After
// (the client should try again), not 500; and answers again once it is back. The app talks to
// Postgres through a TCP proxy the test cuts, so other test files keep their server.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../db/client.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { DATABASE_RETRY_AFTER_S } from '../../../src/http/errors.ts';
import { createHttpMetrics } from '../../../src/http/metrics.ts';
import type { App } from '../../../src/http/types.ts';
import { createInProcessJobs } from '../../../src/jobs/in-process-driver.ts';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.ts';
import type { TestDb } from '../../support/test-db.ts';
import { ADMIN_TOKEN, caller, seededDb, type Staff, staff } from './http-test-app.ts';

const WEBHOOK_TOKEN = 'leads-webhook-secret-0123456789';

describe('the API while Postgres is down', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let proxied: DbHandle;
  let app: App;
  let anna: Staff;
  const lines: Record<string, unknown>[] = [];
  const call = caller(() => app);

  beforeAll(async () => {
    t = await seededDb('http_db_down');
    anna = await staff(t, 'Анна', ['manager']);
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const url = new URL(t.url!);
    url.port = String(proxy.port);
    proxied = await createDb({ DATABASE_URL: url.toString(), DATA_DIR: '' });
    app = createHttpApp({
      dbHandle: proxied,
      jobs: createInProcessJobs({ logger: pino({ level: 'silent' }) }),
      config: { ADMIN_TOKEN, LEADS_WEBHOOK_TOKEN: WEBHOOK_TOKEN },
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
      metrics: createHttpMetrics(),
    });
  }, 60_000);
  afterAll(async () => {
    await proxied?.close();
    await proxy?.close();
    await t?.drop();
  });

  it('answers 503 database_unavailable with Retry-After on every kind of request, then 200 again when it is back', async () => {
    expect((await call('GET', '/api/v1/deals', anna.token)).status).toBe(200);
    // Stopped as Postgres stops: open connections dropped, new ones refused.
    await proxy.down();
    const requests: [string, string, string | null, unknown?, Record<string, string>?][] = [
      ['GET', '/api/v1/deals', anna.token],
      ['GET', '/api/v1/deals', ADMIN_TOKEN],
      ['GET', '/api/v1/contacts/1', ADMIN_TOKEN],
      ['POST', '/api/v1/contacts', ADMIN_TOKEN, { firstName: 'Иван', phone: '+79161234567' }],
      ['POST', '/api/v1/tasks', ADMIN_TOKEN, { title: 'Позвонить' }],
      ['GET', '/api/v1/pipelines', ADMIN_TOKEN],
      ['POST', '/webhooks/leads/site', null, { name: 'Иван', phone: '+79161234567' }, { 'x-chatcrm-token': WEBHOOK_TOKEN }],
    ];
    for (const [method, path, token, body, headers] of requests) {
      const started = Date.now();
      const res = await call(method, path, token, body, headers);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, `${method} ${path}: ${JSON.stringify(answer)}`).toBe(503);
      expect(answer.error.code).toBe('database_unavailable');
      expect(res.headers.get('retry-after')).toBe(String(DATABASE_RETRY_AFTER_S));
      expect(Date.now() - started, `${method} ${path}`).toBeLessThan(8000);
    }
    // Logged as the database being down, once per request, without what the request carried.
    const down = lines.filter((l) => l.msg === 'database unavailable');
    expect(down).toHaveLength(requests.length);
    expect(lines.filter((l) => l.msg === 'request failed')).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('79161234567');

    await proxy.up();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await call('GET', '/api/v1/deals', anna.token)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  }, 60_000);
});
