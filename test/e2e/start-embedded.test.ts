// `npm start` with no services and no env: PGlite + in-process scheduler, /health 200, and a
// clean exit within 5 s of SIGTERM or SIGINT.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnChatcrm } from '../support/spawn-chatcrm.ts';

describe('chatcrm start on embedded defaults', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chatcrm-e2e-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`starts on PGlite, answers /health, exits cleanly within 5 s of ${signal}`, async () => {
      const port = await freePort();
      const p = spawnChatcrm(['start'], { DATA_DIR: join(dataDir, signal), HTTP_PORT: String(port) });
      try {
        await p.waitForLog((l) => l.msg === 'HTTP listening', 30_000);
        expect(p.logs.find((l) => l.msg === 'database ready, migrations applied')).toMatchObject({ db: 'pglite' });
        expect(p.logs.find((l) => l.msg === 'job queue ready')).toMatchObject({ driver: 'in-process' });
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: { ok: true, detail: 'pglite' }, queue: { ok: true } } });
      } finally {
        const { code, ms } = await p.stop(signal);
        console.log(`[start-embedded] exit after ${signal}: code ${code} in ${ms} ms`);
        expect(code).toBe(0);
        expect(ms).toBeLessThan(5000);
      }
      expect(p.logs.some((l) => l.msg === 'stopped')).toBe(true);
    }, 60_000);
  }

  it('refuses an invalid configuration with exit code 1, naming each bad variable', async () => {
    const p = spawnChatcrm(['start'], { HTTP_PORT: 'eighty', TZ_COMPANY: 'Mars/Olympus', DATABASE_URL: 'mysql://x' });
    const code = await p.waitExit();
    const text = p.logs.map((l) => String(l.raw ?? '')).join('\n');
    expect(code).toBe(1);
    expect(text).toContain('HTTP_PORT');
    expect(text).toContain('TZ_COMPANY');
    expect(text).toContain('DATABASE_URL');
  }, 30_000);

  it('refuses --role web on the embedded database', async () => {
    const p = spawnChatcrm(['start', '--role', 'web'], { DATA_DIR: join(dataDir, 'role') });
    const code = await p.waitExit();
    expect(code).toBe(1);
    expect(p.logs.map((l) => String(l.raw ?? '')).join('\n')).toContain('needs DATABASE_URL and REDIS_URL');
  }, 30_000);
});
