// GET /api/v1/whatsapp/link: the QR to link WhatsApp Web and where linking stands, for admins.
// The bot process (maybe on another machine) writes both to Postgres; this only reads them.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import QRCode from 'qrcode';
import { linkStatuses, readLinkStatus } from '../../../bots/whatsapp/link-status.ts';
import type { Db } from '../../../db/client.ts';
import { hasRole } from '../../crm/actor.ts';
import { AccessDeniedError } from '../../crm/errors.ts';
import { errorSchema } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

export const whatsappLinkSchema = z
  .object({
    account: z.string(),
    status: z.enum(linkStatuses),
    qr: z.string().nullable().openapi({ description: 'the QR payload to scan; null when none is fresh (older than 60 s) or linking is over' }),
    qr_svg: z.string().nullable().openapi({ description: 'the same QR as an SVG image' }),
    updated_at: z.string().nullable().openapi({ description: 'when the status (and its QR) was written; null if never' }),
    refused_code: z.number().int().nullable().openapi({ description: "when refused: WhatsApp's close code, 403 (the number is banned or restricted) or 411 (the linked device is not accepted); null otherwise" }),
  })
  .openapi('WhatsAppLink');

export function whatsappLinkRoutes(db: Db, account: string) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/link',
      tags: ['whatsapp'],
      summary: 'The QR to link WhatsApp Web (WhatsApp → Linked devices → Link a device) and the link status; admins only',
      responses: {
        200: jsonContent(whatsappLinkSchema, 'the link status'),
        401: jsonContent(errorSchema, 'no or bad token'),
        403: jsonContent(errorSchema, 'not an admin'),
      },
    }),
    async (c) => {
      // Whoever scans the QR gets the company's WhatsApp: admins only, never cached.
      if (!hasRole(c.get('actor'), 'admin')) throw new AccessDeniedError('the WhatsApp link', null);
      const link = await readLinkStatus(db, account);
      c.header('cache-control', 'no-store');
      return c.json(
        {
          account: link.account,
          status: link.status,
          qr: link.qr,
          qr_svg: link.qr ? await QRCode.toString(link.qr, { type: 'svg' }) : null,
          updated_at: link.updatedAt?.toISOString() ?? null,
          refused_code: link.refusedCode,
        },
        200,
      );
    },
  );

  return app;
}
