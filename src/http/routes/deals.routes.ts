import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { createDeal, dealInputSchema, dealPatchSchema, getDeal, listDeals, updateDeal } from '../../crm/deals.ts';
import { moveDealInputSchema, moveDealToStage } from '../../crm/move-deal.ts';
import { dealDtoSchema, idParamSchema, listQuerySchema, pageOf, toDealDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['deals'];
const json = jsonContent;
const errors = errorResponses('deal', 'changed meanwhile (version) or transition not allowed');

export function dealsRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: {
        query: listQuerySchema.extend({
          pipeline_id: z.coerce.number().int().positive().optional(),
          stage_id: z.coerce.number().int().positive().optional(),
          responsible_id: z.coerce.number().int().positive().optional(),
          open: z.enum(['true', 'false']).optional(),
          q: z.string().max(200).optional(),
        }),
      },
      responses: { 200: json(pageOf(dealDtoSchema), 'deals visible to the caller'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listDeals(db, c.get('actor'), {
        limit: q.limit,
        cursor: q.cursor,
        pipelineId: q.pipeline_id,
        stageId: q.stage_id,
        responsibleId: q.responsible_id,
        openOnly: q.open === 'true',
        q: q.q,
      });
      return c.json({ items: page.items.map(toDealDto), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      request: { body: jsonBody(dealInputSchema) },
      responses: { 201: json(dealDtoSchema, 'created'), ...errors },
    }),
    async (c) => c.json(toDealDto(await createDeal(db, c.get('actor'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(dealDtoSchema, 'the deal'), ...errors } }),
    async (c) => c.json(toDealDto(await getDeal(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      tags,
      request: { params: idParamSchema, body: jsonBody(dealPatchSchema) },
      responses: { 200: json(dealDtoSchema, 'updated'), ...errors },
    }),
    async (c) => c.json(toDealDto(await updateDeal(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/move',
      tags,
      summary: 'Move the deal to a stage, with the values the stage requires',
      request: { params: idParamSchema, body: jsonBody(moveDealInputSchema) },
      responses: { 200: json(dealDtoSchema, 'moved'), ...errors },
    }),
    async (c) => {
      const r = await moveDealToStage(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toDealDto(r.deal), 200);
    },
  );

  return app;
}
