// POST a JSON body, read a JSON answer: what the platform senders do for every message. On
// node:http(s) with kept-alive sockets rather than fetch: at hundreds of sends a second,
// fetch's streams and per-call abort signals cost more CPU than the rest of the send.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonAnswer {
  status: number;
  /** The parsed body; undefined when it was not JSON. */
  body: unknown;
}

export class JsonPostError extends Error {
  override name = 'JsonPostError';
}

export type JsonPost = (url: string, payload: unknown, headers?: Record<string, string>) => Promise<JsonAnswer>;

export function createJsonPost(opts: { timeoutMs: number; maxSockets?: number }): JsonPost {
  const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 64 };
  const http = new HttpAgent(agentOpts);
  const https = new HttpsAgent(agentOpts);
  return (url, payload, headers = {}) =>
    new Promise<JsonAnswer>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify(payload));
      const secure = url.startsWith('https:');
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: secure ? https : http,
          timeout: opts.timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => reject(new JsonPostError(`reading the answer failed: ${err.message}`, { cause: err })));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new JsonPostError(`no answer in ${opts.timeoutMs} ms`)));
      req.on('error', (err) => reject(err instanceof JsonPostError ? err : new JsonPostError(err.message, { cause: err })));
      req.end(body);
    });
}
