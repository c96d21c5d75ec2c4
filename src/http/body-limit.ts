// Request bodies over a size refused with 413. A body with a declared length (every platform's
// webhook sends one; Node's parser holds the body to it) is judged by the header alone: Hono's
// bodyLimit reads `req.raw.body` first, which makes @hono/node-server build a whole web Request
// and stream for every call, the fast path to the body lost. Bodies without a length (chunked)
// go through bodyLimit, which counts them as they arrive.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';

export function sizeLimit(maxSize: number, what: string): MiddlewareHandler {
  const tooLarge = () => {
    throw new HTTPException(413, { message: `${what} body over ${maxSize} bytes` });
  };
  const counted = bodyLimit({ maxSize, onError: tooLarge });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number(declared) > maxSize) return tooLarge();
    await next();
  };
}
