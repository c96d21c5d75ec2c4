// What the HTTP server exposes, through real processes: bound to 127.0.0.1 unless HTTP_HOST says
// otherwise; /metrics only to this machine, or with METRICS_TOKEN; slow headers and bodies cut
// after their timeouts; connections capped; a busy port or an address the machine does not have
// answered with one line on stderr and exit 1.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnChatcrm, type ChatcrmProcess } from '../support/spawn-chatcrm.ts';
import { createTestPostgres, type TestDb } from '../support/test-db.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const LEADS_WEBHOOK_TOKEN = 'leads-token-0123456789abcdef';

/** An address of this machine that is not loopback, if it has one. */
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** Opens a TCP connection; resolves once connected, or with the error code. */
function tcp(host: string, port: number): Promise<Socket | string> {
  return new Promise((resolve) => {
    const s = connect(port, host);
    s.once('connect', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Milliseconds until the server closes the socket, and what it sent before. */
function closedAfter(s: Socket, started: number): Promise<{ ms: number; got: string }> {
  let got = '';
  s.on('data', (d: Buffer) => (got += d.toString('latin1')));
  s.on('error', () => {});
  return new Promise((resolve) => s.once('close', () => resolve({ ms: Date.now() - started, got })));
}

describe('HTTP exposure', () => {
  let t: TestDb;
  const running: ChatcrmProcess[] = [];

  beforeAll(async () => {
    t = await createTestPostgres('e2e_http');
  }, 30_000);
  afterAll(async () => {
    for (const p of running) await p.stop();
    await t?.drop();
  }, 30_000);

  async function start(env: Record<string, string>): Promise<{ p: ChatcrmProcess; port: number }> {
    const port = await freePort();
    const p = spawnChatcrm(['start'], { DATABASE_URL: t.url!, HTTP_PORT: String(port), ...env });
    running.push(p);
    await p.waitForLog((l) => l.msg === 'HTTP listening', 30_000);
    return { p, port };
  }

  describe('defaults', () => {
    let port: number;
    let p: ChatcrmProcess;
    beforeAll(async () => {
      ({ p, port } = await start({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000', LEADS_WEBHOOK_TOKEN, COMPANY_PRESET: 'dealer' }));
    }, 40_000);

    it('listens on 127.0.0.1 only', async () => {
      expect(p.logs.find((l) => l.msg === 'HTTP listening')).toMatchObject({ host: '127.0.0.1', port });
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      if (otherAddress) expect(await tcp(otherAddress, port)).toBe('ECONNREFUSED');
    });

    it('answers /metrics to a loopback client without a token', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('chatcrm_http_requests_total');
    });

    it('cuts a request whose body trickles in, and one whose headers never end, after their timeouts', async () => {
      const body = await tcp('127.0.0.1', port);
      const headers = await tcp('127.0.0.1', port);
      if (typeof body === 'string' || typeof headers === 'string') throw new Error(`could not connect: ${String(body)} ${String(headers)}`);
      const started = Date.now();
      const bodyClosed = closedAfter(body, started);
      const headersClosed = closedAfter(headers, started);
      // A lead webhook with its token: the route reads the body.
      body.write(`POST /webhooks/leads/site HTTP/1.1\r\nHost: chatcrm\r\nX-Chatcrm-Token: ${LEADS_WEBHOOK_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n{"name":"`);
      headers.write('GET /health HTTP/1.1\r\nHost: chatcrm\r\n');
      const drip = setInterval(() => {
        if (!body.destroyed) body.write('a');
        if (!headers.destroyed) headers.write('X-Slow: 1\r\n');
      }, 100);
      try {
        const [b, h] = await Promise.all([bodyClosed, headersClosed]);
        console.log(`[http-exposure] slow body cut after ${b.ms} ms, slow headers after ${h.ms} ms`, JSON.stringify(b.got.slice(0, 300)));
        // Node checks these limits once a second.
        expect(b.ms).toBeGreaterThanOrEqual(1400);
        expect(b.ms).toBeLessThan(1500 + 1000 + 500);
        expect(b.got).toMatch(/^HTTP\/1\.1 408/);
        expect(h.ms).toBeGreaterThanOrEqual(900);
        expect(h.ms).toBeLessThan(1000 + 1000 + 500);
      } finally {
        clearInterval(drip);
      }
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    }, 15_000);
  });

  // Without another interface address the refusals are checked on loopback only.
  describe('HTTP_HOST=0.0.0.0', () => {
    it('holds the connection cap; refuses /metrics to another address without METRICS_TOKEN, answers it on loopback', async () => {
      const { p, port } = await start({ HTTP_HOST: '0.0.0.0', HTTP_MAX_CONNECTIONS: '4' });
      expect(p.logs.find((l) => l.msg === 'HTTP listening')).toMatchObject({ host: '0.0.0.0' });

      // Four connections held open (before any other client, so none is taken by a kept-alive
      // one); a fifth is dropped as it connects, without an answer.
      const held = await Promise.all([1, 2, 3, 4].map(() => tcp('127.0.0.1', port)));
      const sockets = held.map((s) => {
        if (typeof s === 'string') throw new Error(`could not connect: ${s}`);
        return s;
      });
      const dropped = sockets.map(() => false);
      sockets.forEach((s, i) => s.once('close', () => (dropped[i] = true)).on('error', () => {}));
      await new Promise((r) => setTimeout(r, 200));
      expect(dropped).toEqual([false, false, false, false]);
      const fifth = await tcp('127.0.0.1', port);
      if (typeof fifth === 'string') expect(fifth).toMatch(/ECONNRESET|EPIPE/);
      else {
        const { ms, got } = await closedAfter(fifth, Date.now());
        expect(got).toBe('');
        expect(ms).toBeLessThan(1000);
      }
      // The held ones are served.
      const answer = closedAfter(sockets[0]!, Date.now());
      sockets[0]!.write('GET /health HTTP/1.1\r\nHost: chatcrm\r\nConnection: close\r\n\r\n');
      expect((await answer).got).toMatch(/^HTTP\/1\.1 200/);
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 100));

      if (otherAddress) {
        const remote = await fetch(`http://${otherAddress}:${port}/metrics`);
        expect(remote.status).toBe(403);
        expect(await remote.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    }, 40_000);

    it('with METRICS_TOKEN, /metrics needs it from anywhere', async () => {
      const { port } = await start({ HTTP_HOST: '0.0.0.0', METRICS_TOKEN });
      const url = `http://${otherAddress ?? '127.0.0.1'}:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer metrics-token-wrong-wrong-wrong' } })).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('chatcrm_nodejs_heap_size_used_bytes');
    }, 40_000);
  });

  describe('an address that cannot be bound', () => {
    let busy: Server;
    let busyPort: number;
    beforeAll(async () => {
      busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      busyPort = (busy.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

    const oneLine = (p: ChatcrmProcess) => {
      const lines = p.logs.map((l) => (typeof l.raw === 'string' ? l.raw : JSON.stringify(l)));
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/\n|\s+at /);
      return lines[0]!;
    };

    it('a busy port is one line naming host:port and what to do, exit 1', async () => {
      const p = spawnChatcrm(['start'], { DATABASE_URL: t.url!, HTTP_PORT: String(busyPort) });
      expect(await p.waitExit()).toBe(1);
      const line = oneLine(p);
      expect(line).toContain(`127.0.0.1:${busyPort}`);
      expect(line).toContain('in use');
      expect(line).toContain('HTTP_PORT');
    }, 30_000);

    it('an address this machine does not have is one line too', async () => {
      const p = spawnChatcrm(['start'], { DATABASE_URL: t.url!, HTTP_PORT: String(busyPort), HTTP_HOST: '198.51.100.7' });
      expect(await p.waitExit()).toBe(1);
      const line = oneLine(p);
      expect(line).toContain(`198.51.100.7:${busyPort}`);
      expect(line).toContain('HTTP_HOST');
    }, 30_000);
  });
});
