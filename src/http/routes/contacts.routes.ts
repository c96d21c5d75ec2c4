import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { contactInputSchema, createContact, getContact, listContacts, updateContact } from '../../crm/contacts.ts';
import { listContactChannels } from '../../crm/contact-channels.ts';
import { canonicalId, contactChannelDtoSchema, contactDtoSchema, idParamSchema, listQuerySchema, pageOf, queryText, toContactChannelDto, toContactDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['contacts'];
const json = jsonContent;
const errors = errorResponses('contact');

export function contactsRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: { query: listQuerySchema.extend({ q: queryText(200).optional(), company_id: canonicalId().optional() }) },
      responses: { 200: json(pageOf(contactDtoSchema), 'contacts visible to the caller'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listContacts(db, c.get('actor'), { limit: q.limit, cursor: q.cursor, q: q.q, companyId: q.company_id });
      return c.json({ items: page.items.map(toContactDto), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      request: { body: jsonBody(contactInputSchema) },
      responses: { 201: json(contactDtoSchema, 'created'), ...errors },
    }),
    async (c) => c.json(toContactDto(await createContact(db, c.get('actor'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(contactDtoSchema, 'the contact'), ...errors } }),
    async (c) => c.json(toContactDto(await getContact(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/channels',
      tags,
      request: { params: idParamSchema },
      responses: { 200: json(z.object({ items: z.array(contactChannelDtoSchema) }), 'where the contact writes from, and whether he can be written to there'), ...errors },
    }),
    async (c) => c.json({ items: (await listContactChannels(db, c.get('actor'), c.req.valid('param').id)).map(toContactChannelDto) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      request: { params: idParamSchema, body: jsonBody(contactInputSchema) },
      responses: { 200: json(contactDtoSchema, 'updated'), ...errors },
    }),
    async (c) => c.json(toContactDto(await updateContact(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  return app;
}
