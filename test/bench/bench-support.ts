// Shared pieces of the HTTP benchmarks: serving a fetch handler on 127.0.0.1, a closed-loop
// load generator with a fixed number of requests in flight, and percentiles.
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveFetch(fetchHandler: (req: Request) => Response | Promise<Response>): Promise<Served> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: fetchHandler, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * Open loop only: the p99 of each second's updates (by when they were due). A stall of the
   * machine shows as one bad second, a bot that cannot keep up as bad seconds piling up.
   */
  p99BySecondMs?: number[];
}

/** POSTs every body to `url`, keeping `concurrency` requests in flight; times each to its answer. */
export async function postLoad(url: string, bodies: string[], concurrency: number, headers: Record<string, string>): Promise<LoadResult> {
  const latencies = new Float64Array(bodies.length);
  const statuses: Record<string, number> = {};
  const post = poster(url, headers, concurrency);
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const t0 = performance.now();
      const status = await post(bodies[i]!);
      if (/^2\d\d$/.test(status)) ok++;
      latencies[i] = performance.now() - t0;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  } finally {
    post.close();
  }
  return summarize(latencies, statuses, ok, performance.now() - started);
}

/**
 * A POST over kept-alive connections (at most `sockets`), answering the status or the error
 * as text. node:http, not fetch: undici's fetch costs the load generator several times the CPU
 * per request, taken from the bot and Postgres it shares the machine with (Telegram does not).
 */
function poster(url: string, headers: Record<string, string>, sockets: number) {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const post = (body: string) =>
    new Promise<string>((resolve) => {
      const failed = (err: unknown) => resolve(`error: ${err instanceof Error ? err.message : String(err)}`);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          res.on('error', failed);
          res.on('end', () => resolve(String(res.statusCode)));
          res.resume();
        },
      );
      req.on('error', failed);
      req.end(body);
    });
  /** Opens `n` connections (GETs the URL at once, which no webhook takes) and keeps them. */
  const warm = (n: number) =>
    Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<void>((resolve) => {
            const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'GET', agent }, (res) => {
              res.on('end', () => resolve());
              res.on('error', () => resolve());
              res.resume();
            });
            req.on('error', () => resolve());
            req.end();
          }),
      ),
    );
  return Object.assign(post, { close: () => agent.destroy(), warm });
}

/**
 * Telegram delivers webhooks over at most this many connections (setWebhook's max_connections,
 * 40 unless set), kept open. An open loop with no cap opened a new connection whenever all
 * were busy: at the start of every run, and in bursts during any stall, each connection's setup
 * landing on the bot at the worst moment (the bare echo bot showed a p99 of 65 to 94 ms at half
 * its capacity that way).
 */
export const TELEGRAM_WEBHOOK_CONNECTIONS = 40;

function summarize(latencies: Float64Array, statuses: Record<string, number>, ok: number, elapsedMs: number): LoadResult {
  latencies.sort();
  return {
    requests: latencies.length,
    ok,
    failed: latencies.length - ok,
    statuses,
    elapsedMs,
    perSecond: Math.round(latencies.length / (elapsedMs / 1000)),
    p50Ms: round1(percentile(latencies, 0.5)),
    p99Ms: round1(percentile(latencies, 0.99)),
    maxMs: round1(latencies[latencies.length - 1] ?? 0),
  };
}

/** `sorted` ascending. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export const round1 = (x: number): number => Math.round(x * 10) / 10;
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `--name=value` from the command line (run.ts passes flags through untouched). */
export function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export function intFlag(name: string, fallback: number): number {
  const raw = flag(name);
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Open loop: POSTs the bodies at a fixed rate whatever the answers take (as Telegram does when
 * updates keep coming), timing each to its answer. The latency of a server below its capacity.
 */
export async function postAtRate(url: string, bodies: string[], perSecond: number, headers: Record<string, string>): Promise<LoadResult> {
  const latencies = new Float64Array(bodies.length);
  const statuses: Record<string, number> = {};
  const post = poster(url, headers, TELEGRAM_WEBHOOK_CONNECTIONS);
  // The connections are open before the clock starts, as Telegram's are; a request finding all
  // of them busy waits for one, and that wait counts in its latency (timed from its due time).
  await post.warm(TELEGRAM_WEBHOOK_CONNECTIONS);
  let ok = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < bodies.length; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const t0 = Math.min(performance.now(), due);
    inFlight.push(
      post(bodies[i]!).then((status) => {
        if (/^2\d\d$/.test(status)) ok++;
        latencies[i] = performance.now() - t0;
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  try {
    await Promise.all(inFlight);
  } finally {
    post.close();
  }
  const p99BySecondMs: number[] = [];
  for (let from = 0; from < bodies.length; from += perSecond) p99BySecondMs.push(round1(percentile(latencies.slice(from, from + perSecond).sort(), 0.99)));
  return { ...summarize(latencies, statuses, ok, performance.now() - started), p99BySecondMs };
}

/**
 * CPU time (ms) used so far by this machine's Postgres processes, from /proc (Linux; null
 * elsewhere). Backends that exit between two readings drop out, so read it around a run whose
 * connections stay open.
 */
export function postgresCpuMs(): number | null {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const tick = 1000 / 100; // USER_HZ, 100 on Linux
  let total = 0;
  for (const pid of dirs) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) * tick;
  }
  return total;
}
