// sizeLimit: a declared length over the limit is refused before the handler runs, without
// reading the body; a body without a declared length is counted as it arrives; both through
// Hono's app.request and through the real Node server.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sizeLimit } from '../../../src/http/body-limit.ts';

const LIMIT = 1000;
let handled = 0;
const app = new Hono();
app.use('*', sizeLimit(LIMIT, 'test'));
app.post('/', async (c) => {
  handled++;
  return c.json({ length: (await c.req.text()).length });
});
app.onError((err, c) => (err instanceof HTTPException ? c.text(err.message, err.status) : c.text('boom', 500)));

const chunked = (size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < size; sent += 100) controller.enqueue(new Uint8Array(Math.min(100, size - sent)).fill(120));
      controller.close();
    },
  });

describe('sizeLimit', () => {
  it('judges a declared length by the header: over the limit, 413 and the handler never runs', async () => {
    handled = 0;
    const over = await app.request('/', { method: 'POST', body: 'x'.repeat(LIMIT + 1), headers: { 'content-length': String(LIMIT + 1) } });
    expect(over.status).toBe(413);
    expect(await over.text()).toBe(`test body over ${LIMIT} bytes`);
    const within = await app.request('/', { method: 'POST', body: 'x'.repeat(LIMIT), headers: { 'content-length': String(LIMIT) } });
    expect(within.status).toBe(200);
    expect(await within.json()).toEqual({ length: LIMIT });
    expect(handled).toBe(1);
  });

  it('counts a body sent without a length', async () => {
    handled = 0;
    const over = await app.request('/', { method: 'POST', body: chunked(LIMIT + 50), duplex: 'half' } as RequestInit);
    expect(over.status).toBe(413);
    const within = await app.request('/', { method: 'POST', body: chunked(LIMIT - 50), duplex: 'half' } as RequestInit);
    expect(within.status).toBe(200);
    expect(await within.json()).toEqual({ length: LIMIT - 50 });
    expect(handled).toBe(1);
  });

  describe('through the Node server', () => {
    let url = '';
    let close = () => {};
    beforeAll(async () => {
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      close = () => server.close();
    });
    afterAll(() => close());

    it('refuses a long body with a length and one without, and reads one within', async () => {
      handled = 0;
      expect((await fetch(url, { method: 'POST', body: 'x'.repeat(LIMIT * 3) })).status).toBe(413);
      expect((await fetch(url, { method: 'POST', body: chunked(LIMIT * 3), duplex: 'half' } as RequestInit)).status).toBe(413);
      const within = await fetch(url, { method: 'POST', body: 'я'.repeat(LIMIT / 4) });
      expect(await within.json()).toEqual({ length: LIMIT / 4 });
      expect(handled).toBe(1);
    });
  });
});
