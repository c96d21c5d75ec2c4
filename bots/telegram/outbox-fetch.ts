// grammY's `client.fetch`: every message the bot sends while handling an update becomes an
// outbox row first (key derived from the update) and is delivered through the rate-limited
// deliverer; the handler gets Telegram's answer as usual. Set as a client option, it also
// reaches the Api that conversations build inside flows. Other calls go straight through.
import type { Db } from '../../db/client.ts';
import type { MessagingChannel, OutboundKind } from '../../db/schema/index.ts';
import type { Deliverer } from '../../src/messaging/deliverer.ts';
import { enqueueStarted } from '../../src/messaging/outbox.ts';
import { nextOutboxKey, updateScope } from './update-context.ts';

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

export function createOutboxFetch(deps: {
  db: Db;
  deliverer: Deliverer;
  channel: MessagingChannel;
  account: string;
  passthrough?: typeof fetch;
}): typeof fetch {
  const passthrough = deps.passthrough ?? fetch;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = url.slice(url.lastIndexOf('/') + 1);
    const kind = SENDING_METHODS[method];
    const scope = updateScope.getStore();
    const isJson = typeof init?.body === 'string';
    // Uploads (multipart) and calls outside an update go straight to Telegram.
    if (!kind || !scope || !isJson) return passthrough(input, init);
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
  }) as typeof fetch;
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
