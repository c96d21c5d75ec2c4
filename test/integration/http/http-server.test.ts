// The HTTP server's life: 503 `starting` until the app is mounted; on close, the request in
// flight finishes, a request arriving on its kept-alive connection gets 503 `stopping` with
// Connection: close, new connections are refused, and close() resolves once all are closed.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { listenHttp } from '../../../src/http/server.ts';

const config = {
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: 0,
  HTTP_REQUEST_TIMEOUT_MS: 30_000,
  HTTP_HEADERS_TIMEOUT_MS: 10_000,
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 5000,
  HTTP_MAX_CONNECTIONS: 16,
};

function get(port: number, path: string, agent: Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP server', () => {
  it('answers 503 starting until mounted, then the app', async () => {
    const server = await listenHttp(config);
    const agent = new Agent({ keepAlive: false });
    try {
      const early = await get(server.port, '/health', agent);
      expect(early.status).toBe(503);
      expect(JSON.parse(early.body)).toMatchObject({ error: { code: 'starting' } });
      server.mount(() => new Response('ok'));
      expect((await get(server.port, '/health', agent)).body).toBe('ok');
    } finally {
      await server.close();
    }
  });

  it('on close, finishes the request in flight, answers 503 stopping on its connection, refuses new ones', async () => {
    const server = await listenHttp(config);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    server.mount(async (req) => {
      if (new URL(req.url).pathname === '/slow') await slow;
      return new Response('done');
    });
    const socket = connect(server.port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const socketClosed = new Promise<void>((r) => socket.once('close', () => r()));
    try {
      socket.write('GET /slow HTTP/1.1\r\nHost: chatcrm\r\n\r\n');
      while (server.inFlight() === 0) await new Promise((r) => setTimeout(r, 10));
      let closed = false;
      const closing = server.close().then(() => (closed = true));
      // A second request on the same kept-alive connection, after the stop began.
      socket.write('GET /fast HTTP/1.1\r\nHost: chatcrm\r\n\r\n');
      await new Promise((r) => setTimeout(r, 100));
      expect(closed).toBe(false);
      await expect(get(server.port, '/fast', new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      release();
      await socketClosed;
      const answers = got.split(/(?=HTTP\/1\.1 )/);
      expect(answers).toHaveLength(2);
      expect(answers[0]).toMatch(/^HTTP\/1\.1 200[\s\S]*done$/);
      expect(answers[1]).toMatch(/^HTTP\/1\.1 503/);
      expect(answers[1]).toMatch(/connection: close/i);
      expect(answers[1]).toContain('"code":"stopping"');
      await closing;
      expect(closed).toBe(true);
    } finally {
      socket.destroy();
      await server.close();
    }
  });
});
