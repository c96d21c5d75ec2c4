// With DATABASE_URL and REDIS_URL, `--role web` and `--role worker` run as two processes that
// share the work: the web process takes a task over HTTP and enqueues its reminder, the
// worker process fires it at the due time.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineEntries, tasks } from '../../db/schema/index.ts';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

describe('chatcrm start --role web + --role worker on Postgres and BullMQ', () => {
  let t: TestDb;
  let web: ChatcrmProcess;
  let worker: ChatcrmProcess;
  let port: number;
  const prefix = `e2e-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestPostgres('e2e_roles');
    port = await freePort();
    const env = {
      DATABASE_URL: t.url!,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
      ADMIN_TOKEN,
      COMPANY_PRESET: 'dealer',
    };
    web = spawnChatcrm(['start', '--role', 'web'], { ...env, HTTP_PORT: String(port) });
    worker = spawnChatcrm(['start', '--role', 'worker'], { ...env, HTTP_PORT: '0' });
    await Promise.all([web.waitForLog((l) => l.msg === 'HTTP listening', 30_000), worker.waitForLog((l) => l.msg === 'job queue ready', 30_000)]);
  }, 60_000);

  afterAll(async () => {
    const stops = await Promise.all([web?.stop(), worker?.stop()]);
    await t?.drop();
    for (const s of stops) expect(s?.code).toBe(0);
  }, 30_000);

  it('each process runs only its role, both on Postgres and BullMQ', async () => {
    expect(web.logs.find((l) => l.msg === 'job queue ready')).toMatchObject({ driver: 'bullmq', role: 'web' });
    expect(worker.logs.find((l) => l.msg === 'database ready, migrations applied')).toMatchObject({ db: 'postgres' });
    expect(worker.logs.some((l) => l.msg === 'HTTP listening')).toBe(false);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ checks: { database: { detail: 'postgres' }, queue: { ok: true } } });
  });

  it('a task created through the web process is reminded by the worker process at its due time', async () => {
    const api = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const dealRes = await api('/api/v1/deals', { title: 'Погрузчик Амкодор' });
    expect(dealRes.status).toBe(201);
    const deal = (await dealRes.json()) as { id: number };
    const due = new Date(Date.now() + 1500);
    const taskRes = await api('/api/v1/tasks', { title: 'Позвонить клиенту', dueAt: due.toISOString(), entityType: 'deal', entityId: deal.id });
    expect(taskRes.status).toBe(201);
    const task = (await taskRes.json()) as { id: number; remindedAt: string | null };
    expect(task.remindedAt).toBeNull();

    const fired = await worker.waitForLog((l) => l.msg === 'task reminder fired' && l.taskId === task.id, 15_000);
    expect(fired.outcome).toBe('reminded');
    expect(web.logs.some((l) => l.msg === 'task reminder fired')).toBe(false);

    const [row] = await t.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.remindedAt!.getTime()).toBeGreaterThanOrEqual(due.getTime());
    expect(row!.remindedAt!.getTime() - due.getTime()).toBeLessThan(1000);
    const entries = await t.db
      .select()
      .from(timelineEntries)
      .where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, deal.id), eq(timelineEntries.kind, 'task')));
    expect(entries.map((e) => e.data.event)).toEqual(['created', 'due']);
  }, 30_000);
});
