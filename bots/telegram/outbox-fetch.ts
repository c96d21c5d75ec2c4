// grammY's `client.fetch`: every message the bot sends while handling an update becomes an
// outbox row first (key derived from the update) and is delivered through the rate-limited
// deliverer; the handler gets Telegram's answer as usual. Each update gets an Api of its own
// whose fetch knows the update (apiForUpdate); conversations build the Api of a flow from that
// Api's options, so flows send through it too. Other calls go straight through.
import { Api } from 'grammy';
import type { Db } from '../../db/client.ts';
import type { MessagingChannel, OutboundKind } from '../../db/schema/index.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import { enqueueStarted } from '../../src/messaging/outbox.ts';
import { nextOutboxKey, type UpdateScope } from './update-context.ts';

const SENDING_METHODS: Record<string, OutboundKind> = {
  sendMessage: 'text',
  sendDocument: 'document',
  sendPhoto: 'photo',
  editMessageText: 'edit',
  editMessageReplyMarkup: 'edit',
  deleteMessage: 'edit',
  sendLocation: 'api',
  sendContact: 'api',
};

/** The fetch for calls made while handling the update in `scope`; null: outside any update. */
export type OutboxFetch = (scope: UpdateScope | null) => typeof fetch;

export function createOutboxFetch(deps: {
  db: Db;
  deliverer: Deliverer;
  channel: MessagingChannel;
  account: string;
  passthrough?: typeof fetch;
}): OutboxFetch {
  const passthrough = deps.passthrough ?? fetch;
  // Calls outside an update go straight to Telegram.
  return (scope) => (scope === null ? passthrough : (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1);
    const kind = SENDING_METHODS[method];
    const isJson = typeof init?.body === 'string';
    // Uploads (multipart) go straight to Telegram.
    if (!kind || !isJson) return passthrough(input, init);
    const params = JSON.parse(init!.body as string) as Record<string, unknown>;
    const chatId = String(params.chat_id ?? '');
    // The slot first, then the row (claimed and started), then the call: one write between
    // the slot and the call, and a crash after it leaves the row marked as possibly sent.
    await deps.deliverer.reserve(chatId);
    const { row, created } = await enqueueStarted(deps.db, {
      idempotencyKey: nextOutboxKey(scope),
      channel: deps.channel,
      account: deps.account,
      chatId,
      kind,
      method,
      params,
      inboundMessageId: scope.inboundId,
      contactIdentityId: scope.contactIdentityId,
    });
    const final = created
      ? await deps.deliverer.sendClaimed(row)
      : row.status === 'sent' || row.status === 'delivered' || row.status === 'read'
        ? row
        : await deps.deliverer.sendNow(row.id);
    const body =
      final.status === 'failed'
        ? { ok: false, error_code: 400, description: final.error ?? 'not delivered' }
        : final.status === 'queued' || final.status === 'sending'
          ? { ok: false, error_code: 503, description: 'queued for delivery, not sent yet' }
          : { ok: true, result: final.result };
    return answered(body);
  }) as typeof fetch);
}

/**
 * The Api for the update in `scope`: the bot's token, options and transformers, its fetch
 * sending through the outbox under keys derived from the update.
 */
export function apiForUpdate(api: Api, outboxFetch: OutboxFetch, scope: UpdateScope): Api {
  const scoped = new Api(api.token, { ...api.options, fetch: outboxFetch(scope) });
  const transformers = api.config.installedTransformers();
  if (transformers.length > 0) scoped.config.use(...transformers);
  return scoped;
}

/**
 * Telegram's answer as grammY reads it: grammY's client only calls `json()` on what fetch
 * resolves to. A web Response would be built (a stream, the body serialized and parsed
 * again) for every reply the bot sends, a tenth of all it allocated per update.
 */
function answered(body: unknown): Response {
  const json = () => Promise.resolve(body);
  return { json } as unknown as Response;
}
