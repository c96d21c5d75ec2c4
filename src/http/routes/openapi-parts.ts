// Pieces every resource router declares the same way.
import { type OpenAPIHono, z } from '@hono/zod-openapi';

type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];
import { errorSchema } from '../dto.ts';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** The error answers of a resource router, worded for the resource. */
export function errorResponses(entity: string, conflict = 'changed meanwhile or not allowed now') {
  return {
    401: jsonContent(errorSchema, 'no or bad token'),
    403: jsonContent(errorSchema, `not your ${entity}`),
    404: jsonContent(errorSchema, `no such ${entity}`),
    409: jsonContent(errorSchema, conflict),
    422: jsonContent(errorSchema, 'invalid input'),
  };
}

const textAnswer = (description: string) => ({ description, content: { 'text/plain': { schema: z.string() } } });

/**
 * The messenger webhooks in the OpenAPI document. Their handlers are plain Hono routes (the
 * platforms' own formats, checked by their own signatures), mounted only when the channel is
 * configured; the document describes them always, as the contract a deployment offers.
 */
export function registerMessengerWebhooks(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'telegramSecretToken', { type: 'apiKey', in: 'header', name: 'X-Telegram-Bot-Api-Secret-Token' });
  registry.registerComponent('securitySchemes', 'whatsappSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Hub-Signature-256',
    description: 'sha256=<HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET>',
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/telegram',
    tags: ['webhooks'],
    summary: 'Telegram Bot API updates (TELEGRAM_MODE=webhook); answered once the update is stored, handled after',
    security: [{ telegramSecretToken: [] }],
    request: {
      body: {
        required: true,
        content: { 'application/json': { schema: z.object({ update_id: z.number().int() }).passthrough().openapi('TelegramUpdate', { description: 'a Telegram Update object' }) } },
      },
    },
    responses: {
      200: textAnswer('stored (handled after the answer)'),
      400: textAnswer('not JSON, or not an update'),
      401: textAnswer('missing or wrong secret token; nothing stored'),
      413: jsonContent(errorSchema, 'body over the webhook limit'),
      503: textAnswer('not stored (database unavailable): Telegram delivers it again'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/webhooks/whatsapp',
    tags: ['webhooks'],
    summary: "WhatsApp Cloud API: Meta's verification handshake (WHATSAPP_PROVIDER=cloud)",
    request: {
      query: z.object({
        'hub.mode': z.string().openapi({ param: { name: 'hub.mode', in: 'query' }, example: 'subscribe' }),
        'hub.verify_token': z.string().openapi({ param: { name: 'hub.verify_token', in: 'query' }, description: 'WHATSAPP_VERIFY_TOKEN' }),
        'hub.challenge': z.string().openapi({ param: { name: 'hub.challenge', in: 'query' } }),
      }),
    },
    responses: { 200: textAnswer('the challenge, echoed'), 403: textAnswer('wrong mode or verify token') },
  });
  registry.registerPath({
    method: 'post',
    path: '/webhooks/whatsapp',
    tags: ['webhooks'],
    summary: 'WhatsApp Cloud API notifications: messages and delivery statuses; 200 once all of it is stored',
    security: [{ whatsappSignature: [] }],
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({ object: z.string(), entry: z.array(z.unknown()) }).passthrough().openapi('WhatsAppNotification', { description: 'a WhatsApp Business Account webhook notification' }),
          },
        },
      },
    },
    responses: {
      200: textAnswer('stored'),
      400: textAnswer('signed, but not JSON'),
      401: textAnswer('missing or wrong signature; nothing stored'),
      413: textAnswer('body over the webhook limit'),
      503: textAnswer('not stored (database unavailable): Meta delivers it again'),
    },
  });
}
