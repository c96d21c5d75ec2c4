// An HTTP proxy in front of an emulator (Telegram's Bot API, WhatsApp's) that can hold chosen
// calls unanswered, so a test can make a handler slow exactly where a slow platform would: the
// call is made, no answer comes, until the test releases it (or never).
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HoldProxy {
  /** Point the app at this instead of the emulator. */
  url: string;
  /** From now on, requests whose path matches are held. */
  hold(path: RegExp): void;
  /** Lets every held request through and stops holding. */
  release(): void;
  /** Requests being held now. */
  held(): number;
  waitHeld(n?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHoldProxy(target: string): Promise<HoldProxy> {
  const upstream = new URL(target);
  let holding: RegExp | null = null;
  const waiting: (() => void)[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  };
  const server: Server = createServer((req, res) => {
    if (holding && holding.test(req.url ?? '')) {
      // Unanswered until released, as a platform that is slow to answer.
      req.pause();
      const go = () => {
        req.resume();
        forward(req, res);
      };
      waiting.push(go);
      // A client that went away (a stopped process) is not answered later.
      res.once('close', () => {
        const i = waiting.indexOf(go);
        if (i >= 0) waiting.splice(i, 1);
      });
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(path) {
      holding = path;
    },
    release() {
      holding = null;
      for (const go of waiting.splice(0)) go();
    },
    held: () => waiting.length,
    async waitHeld(n = 1, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (waiting.length < n) {
        if (Date.now() > until) throw new Error(`no request held after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        waiting.length = 0;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
