import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { requireLeadSource, UnknownLeadSourceError } from '../../crm/lead-intake.ts';
import { convertLead, convertLeadInputSchema, createLead, getLead, leadInputSchema, listLeads, setLeadStatus } from '../../crm/leads.ts';
import { ValidationError } from '../../crm/errors.ts';
import { requiredText, text } from '../../crm/record-input.ts';
import { companyDtoSchema, contactDtoSchema, dealDtoSchema, idParamSchema, leadDtoSchema, listQuerySchema, pageOf, queryText, toCompanyDto, toContactDto, toDealDto, toLeadDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['leads'];
const json = jsonContent;
const errors = errorResponses('lead', 'already converted');

const statusInputSchema = z.object({
  status: requiredText(100).openapi({ description: 'a lead status key of the company configuration' }),
  reason: text(1000).optional().openapi({ description: 'required by statuses such as "junk"' }),
});

const convertResultSchema = z
  .object({
    lead: leadDtoSchema,
    deal: dealDtoSchema,
    contact: contactDtoSchema.nullable().openapi({ description: 'the contact created by the conversion; null when the lead had one' }),
    company: companyDtoSchema.nullable().openapi({ description: 'the company created by the conversion, if one was given' }),
  })
  .openapi('LeadConversion');

export function leadsRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: { query: listQuerySchema.extend({ status: queryText(100).optional() }) },
      responses: { 200: json(pageOf(leadDtoSchema), 'leads visible to the caller'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listLeads(db, c.get('actor'), { limit: q.limit, cursor: q.cursor, status: q.status });
      return c.json({ items: page.items.map(toLeadDto), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a lead; with externalKey, a repeat of source + externalKey answers the stored lead (200)',
      request: { body: jsonBody(leadInputSchema) },
      responses: { 201: json(leadDtoSchema, 'created'), 200: json(leadDtoSchema, 'already stored under this source and externalKey'), ...errors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      try {
        await requireLeadSource(db, input.source);
      } catch (err) {
        if (err instanceof UnknownLeadSourceError) throw new ValidationError([{ field: 'source', message: err.message }], { cause: err });
        throw err;
      }
      const { lead, created } = await createLead(db, c.get('actor'), input);
      return created ? c.json(toLeadDto(lead), 201) : c.json(toLeadDto(lead), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(leadDtoSchema, 'the lead'), ...errors } }),
    async (c) => c.json(toLeadDto(await getLead(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/status',
      tags,
      summary: 'Set the lead status (not "converted": convert the lead for that)',
      request: { params: idParamSchema, body: jsonBody(statusInputSchema) },
      responses: { 200: json(leadDtoSchema, 'updated'), ...errors },
    }),
    async (c) => {
      const { status, reason } = c.req.valid('json');
      return c.json(toLeadDto(await setLeadStatus(db, c.get('actor'), c.req.valid('param').id, status, reason)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/convert',
      tags,
      summary: 'Convert the lead into a deal (and a contact and company when given)',
      request: { params: idParamSchema, body: { ...jsonBody(convertLeadInputSchema), required: false } },
      responses: { 200: json(convertResultSchema, 'converted'), ...errors },
    }),
    async (c) => {
      const r = await convertLead(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json') ?? {});
      return c.json(
        {
          lead: toLeadDto(r.lead),
          deal: toDealDto(r.deal),
          contact: r.contact ? toContactDto(r.contact) : null,
          company: r.company ? toCompanyDto(r.company) : null,
        },
        200,
      );
    },
  );

  return app;
}
