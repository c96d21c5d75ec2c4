import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { companyInputSchema, companyPatchSchema, createCompany, getCompany, updateCompany } from '../../crm/companies.ts';
import { listCompanies } from '../../crm/list-companies.ts';
import { companyDtoSchema, idParamSchema, listQuerySchema, pageOf, queryText, toCompanyDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['companies'];
const json = jsonContent;
const errors = errorResponses('company');

export function companiesRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: { query: listQuerySchema.extend({ q: queryText(200).optional().openapi({ description: 'part of the name, or 4+ digits of the INN' }) }) },
      responses: { 200: json(pageOf(companyDtoSchema), 'companies visible to the caller'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listCompanies(db, c.get('actor'), { limit: q.limit, cursor: q.cursor, q: q.q });
      return c.json({ items: page.items.map(toCompanyDto), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      request: { body: jsonBody(companyInputSchema) },
      responses: { 201: json(companyDtoSchema, 'created'), ...errors },
    }),
    async (c) => c.json(toCompanyDto(await createCompany(db, c.get('actor'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(companyDtoSchema, 'the company'), ...errors } }),
    async (c) => c.json(toCompanyDto(await getCompany(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      request: { params: idParamSchema, body: jsonBody(companyPatchSchema) },
      responses: { 200: json(companyDtoSchema, 'updated'), ...errors },
    }),
    async (c) => c.json(toCompanyDto(await updateCompany(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  return app;
}
