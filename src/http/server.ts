// The HTTP server of a running process. It is bound first thing, so a busy port stops the start
// before any work is taken; until the app is mounted it answers 503. Clients get a time limit
// for their headers and for the whole request (a slow body is cut, not held for Node's default
// 300 s) and the number of open connections is capped. Stopping refuses new requests, lets the
// ones in flight finish and closes every connection as soon as it is idle.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { Config } from '../config.ts';

export type HttpServerConfig = Pick<
  Config,
  'HTTP_HOST' | 'HTTP_PORT' | 'HTTP_REQUEST_TIMEOUT_MS' | 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_KEEP_ALIVE_TIMEOUT_MS' | 'HTTP_MAX_CONNECTIONS'
>;

type FetchHandler = (req: Request, env: object) => Response | Promise<Response>;

export interface HttpServer {
  host: string;
  port: number;
  /** From now on requests go to `fetch`. */
  mount(fetch: FetchHandler): void;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops accepting; requests still arriving on open connections get 503; resolves once every connection is closed. */
  close(): Promise<void>;
}

/** The address cannot be bound: the message is one line saying what to do. */
export class HttpListenError extends Error {
  override name = 'HttpListenError';
  constructor(
    readonly address: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(listenProblem(address, code), options);
  }
}

function listenProblem(address: string, code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${address}: the port is in use (another chatcrm or another program). Stop it, or set HTTP_PORT to a free port.`;
    case 'EACCES':
      return `cannot listen on ${address}: permission denied (ports below 1024 need privileges). Set HTTP_PORT to 1024 or above.`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${address}: no network interface of this machine has that address. Set HTTP_HOST to one of its addresses, 127.0.0.1 or 0.0.0.0.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on ${address}: the host name does not resolve. Set HTTP_HOST to an address such as 127.0.0.1 or 0.0.0.0.`;
    default:
      return `cannot listen on ${address}${code ? ` (${code})` : ''}. Check HTTP_HOST and HTTP_PORT.`;
  }
}

const json = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { code, message } }), { status, headers: { 'content-type': 'application/json', ...headers } });

// Node checks request and header timeouts on this period (30 s by default), so a limit is
// enforced within this much of its value.
const TIMEOUT_CHECK_MS = 1000;
const IDLE_SWEEP_MS = 50;

export async function listenHttp(config: HttpServerConfig): Promise<HttpServer> {
  let handler: FetchHandler | null = null;
  let stopping = false;
  let inFlight = 0;
  const server = createAdaptorServer({
    fetch: (req: Request, env: HttpBindings | Http2Bindings) => {
      if (stopping) return json(503, 'stopping', 'the server is stopping; try again shortly', { connection: 'close', 'retry-after': '5' });
      if (!handler) return json(503, 'starting', 'the server is starting; try again shortly', { 'retry-after': '2' });
      return handler(req, env);
    },
    serverOptions: {
      requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      // Node refuses a header limit above the whole-request limit.
      headersTimeout: Math.min(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_REQUEST_TIMEOUT_MS),
      keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_MS,
    },
  }) as Server;
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = config.HTTP_MAX_CONNECTIONS;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
  });

  const shown = config.HTTP_HOST.includes(':') ? `[${config.HTTP_HOST}]:${config.HTTP_PORT}` : `${config.HTTP_HOST}:${config.HTTP_PORT}`;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(new HttpListenError(shown, err.code, { cause: err }));
    server.once('error', onError);
    server.listen(config.HTTP_PORT, config.HTTP_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  let closed: Promise<void> | null = null;
  return {
    host: address.address,
    port: address.port,
    mount(fetch) {
      handler = fetch;
    },
    inFlight: () => inFlight,
    close() {
      closed ??= new Promise<void>((resolve) => {
        stopping = true;
        // A kept-alive connection outlives close(): each is closed once its request is answered.
        const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
