import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { createDeal, dealInputSchema, dealPatchSchema, getDeal, listDeals, updateDeal } from '../../crm/deals.ts';
import { versionSchema } from '../../crm/record-input.ts';
import { moveDealInputSchema, moveDealToStage } from '../../crm/move-deal.ts';
import { canonicalId, dealDtoSchema, idParamSchema, listQuerySchema, pageOf, queryText, toDealDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['deals'];
const json = jsonContent;
const errors = errorResponses('deal', 'changed meanwhile (version) or transition not allowed');

const patchBodySchema = dealPatchSchema.extend({
  expectedVersion: versionSchema.optional().openapi({
    description:
      "optional: the deal's `version` the change was based on. Given, the patch applies only if the deal is still at that version (409 version_conflict with current_version otherwise); omitted, the fields sent are written over whatever is there (last writer wins). Fields not sent are never touched.",
    example: 3,
  }),
});

export function dealsRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: {
        query: listQuerySchema.extend({
          pipeline_id: canonicalId().optional(),
          stage_id: canonicalId().optional(),
          responsible_id: canonicalId().optional(),
          open: z.enum(['true', 'false']).optional(),
          q: queryText(200).optional(),
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
      summary: "Change the deal's fields (not its stage: move it for that); its responsible, supervisors and admins",
      request: { params: idParamSchema, body: jsonBody(patchBodySchema) },
      responses: { 200: json(dealDtoSchema, 'updated'), ...errors },
    }),
    async (c) => c.json(toDealDto(await updateDeal(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/move',
      tags,
      summary: 'Move the deal to a stage, with the values the stage requires; expectedVersion (required) is the version the move was decided on',
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
