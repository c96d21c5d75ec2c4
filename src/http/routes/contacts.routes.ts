import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { contactInputSchema, createContact, getContact, listContacts, updateContact } from '../../crm/contacts.ts';
import { contactDtoSchema, errorSchema, idParamSchema, listQuerySchema, pageOf, toContactDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['contacts'];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = {
  401: json(errorSchema, 'no or bad token'),
  403: json(errorSchema, 'not yours'),
  404: json(errorSchema, 'no such contact'),
  422: json(errorSchema, 'invalid input'),
};

export function contactsRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: { query: listQuerySchema.extend({ q: z.string().max(200).optional(), company_id: z.coerce.number().int().positive().optional() }) },
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
      request: { body: { content: { 'application/json': { schema: contactInputSchema } }, required: true } },
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
      method: 'patch',
      path: '/{id}',
      tags,
      request: { params: idParamSchema, body: { content: { 'application/json': { schema: contactInputSchema } }, required: true } },
      responses: { 200: json(contactDtoSchema, 'updated'), ...errors },
    }),
    async (c) => c.json(toContactDto(await updateContact(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  return app;
}
