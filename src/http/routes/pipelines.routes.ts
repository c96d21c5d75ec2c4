import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { ValidationError } from '../../crm/errors.ts';
import { clampLimit, decodeCursor, encodeCursor } from '../../crm/pagination.ts';
import { listPipelines } from '../../crm/pipelines.ts';
import { listQuerySchema, pageOf, pipelineDtoSchema, toPipelineDto } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['pipelines'];
const { 401: unauthorized, 422: invalid } = errorResponses('pipeline');

export function pipelinesRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Pipelines in their display order, each with its stages; every staff member may read them',
      request: { query: listQuerySchema },
      responses: { 200: jsonContent(pageOf(pipelineDtoSchema), 'the pipelines that are not archived'), 401: unauthorized, 422: invalid },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const limit = clampLimit(q.limit);
      const after = decodeCursor(q.cursor);
      // A company has a handful of pipelines in display order (not id order): page over that
      // order, the cursor naming the last pipeline given.
      const all = await listPipelines(db);
      const start = after === null ? 0 : all.findIndex((p) => p.id === after) + 1;
      if (start === 0 && after !== null) throw new ValidationError([{ field: 'cursor', message: 'names a pipeline that is no longer listed; start over' }]);
      const items = all.slice(start, start + limit);
      const last = items[items.length - 1];
      const next = start + limit < all.length && last ? encodeCursor(last.id) : null;
      return c.json({ items: items.map(toPipelineDto), next_cursor: next }, 200);
    },
  );

  return app;
}
