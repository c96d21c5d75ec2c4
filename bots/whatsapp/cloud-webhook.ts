// /webhooks/whatsapp for the Cloud API. GET: Meta's verification handshake. POST: the body is
// checked against X-Hub-Signature-256 (HMAC of the raw bytes with the app secret) before
// anything is read; each message goes through the bridge bot (stored once, then handled) and
// each status onto its outbox row. 200 only once all of it is stored; a database failure
// answers 5xx and Meta delivers the webhook again.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { OutboxMessageRow } from '../../db/schema/index.ts';
import { markIdentityUnreachable } from '../../src/messaging/identity-reach.ts';
import { recordDeliveryStatus } from '../../src/messaging/outbox.ts';
import type { AppEnv } from '../../src/http/types.ts';
import { type CloudStatusUpdate, readCloudWebhook } from './cloud-inbound.ts';
import { cannotReach } from './cloud-sender.ts';
import type { WhatsAppBridge } from './create-whatsapp-bot.ts';

export interface CloudWebhookDeps {
  db: Db;
  bridge: WhatsAppBridge;
  /** The app secret Meta signs webhooks with. */
  appSecret: string;
  /** The token typed into Meta's webhook settings; without it the handshake is refused. */
  verifyToken: string | undefined;
  logger: Logger;
  /** Meta's bodies are small; anything near this is not from Meta. */
  maxBodyBytes?: number;
  /** A sent message Meta reports failed (a closed 24-hour window, for one): who should hear of it does. */
  onFailed?: (row: OutboxMessageRow) => Promise<unknown>;
}

export function cloudWebhookRoute(deps: CloudWebhookDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const log = deps.logger.child({ webhook: 'whatsapp' });

  app.get('/', (c) => {
    const mode = c.req.query('hub.mode');
    const token = c.req.query('hub.verify_token') ?? '';
    const challenge = c.req.query('hub.challenge') ?? '';
    if (mode === 'subscribe' && deps.verifyToken && sameSecret(token, deps.verifyToken)) return c.text(challenge, 200);
    log.warn({ mode }, 'webhook verification refused');
    return c.text('forbidden', 403);
  });

  app.post(
    '/',
    bodyLimit({ maxSize: deps.maxBodyBytes ?? 1024 * 1024, onError: (c) => c.text('payload too large', 413) }),
    async (c) => {
      const raw = Buffer.from(await c.req.arrayBuffer());
      if (!validSignature(raw, c.req.header('x-hub-signature-256'), deps.appSecret)) {
        log.warn({ hasSignature: c.req.header('x-hub-signature-256') !== undefined }, 'webhook with a missing or wrong signature refused');
        return c.text('invalid signature', 401);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err), bytes: raw.length }, 'signed webhook with a body that is not JSON');
        return c.text('malformed JSON', 400);
      }
      const content = readCloudWebhook(body, deps.bridge.account);
      if (content.foreign) log.warn({ changes: content.foreign }, 'webhook changes for another phone number id skipped');
      try {
        for (const { inbound, raw: payload } of content.messages) await deps.bridge.handle(inbound, payload);
        for (const s of content.statuses) await applyStatus(deps.db, s, deps.onFailed, log);
      } catch (err) {
        log.error({ err }, 'webhook not stored; Meta will deliver it again');
        return c.text('not stored', 503);
      }
      return c.text('ok', 200);
    },
  );
  return app;
}

async function applyStatus(db: Db, s: CloudStatusUpdate, onFailed: CloudWebhookDeps['onFailed'], log: Logger): Promise<void> {
  if (!s.id) return;
  // 'sent' is already known from the send's own answer.
  if (s.status === 'delivered' || s.status === 'read') await recordDeliveryStatus(db, 'whatsapp', s.id, s.status);
  else if (s.status === 'failed') {
    const e = s.errors?.[0];
    const failed = await recordDeliveryStatus(db, 'whatsapp', s.id, 'failed', e ? `${e.code ?? ''}: ${e.title ?? e.message ?? 'failed'}` : 'failed');
    if (cannotReach(e?.code) && s.recipient_id) await markIdentityUnreachable(db, 'whatsapp', s.recipient_id, `${e!.code}: ${e!.title ?? ''}`, statusTime(s));
    // Only a row this status moved: a redelivered webhook tells nobody twice.
    for (const row of failed) await onFailed?.(row).catch((err: unknown) => log.error({ err, outbox: row.id }, 'could not tell anyone of a failed message'));
  }
}

/** When Meta says the status happened; now when it does not say (or says nonsense). */
function statusTime(s: CloudStatusUpdate): Date {
  const seconds = Number(s.timestamp);
  return s.timestamp && Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

export function validSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameSecret(a: string, b: string): boolean {
  const x = createHmac('sha256', 'compare').update(a).digest();
  const y = createHmac('sha256', 'compare').update(b).digest();
  return timingSafeEqual(x, y);
}
