import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Db } from '../../../db/client.ts';
import { taskStatuses } from '../../../db/schema/index.ts';
import { createScheduledTask } from '../../automation/create-scheduled-task.ts';
import { completeTask, getTask, listTasks, taskInputSchema } from '../../crm/tasks.ts';
import type { Jobs } from '../../jobs/job-queue.ts';
import { canonicalId, idParamSchema, listQuerySchema, pageOf } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['tasks'];
const json = jsonContent;
const errors = errorResponses('task', 'already done');

export const taskDtoSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string().nullable(),
    dueAt: z.string().nullable(),
    assigneeId: z.number().int().nullable(),
    createdById: z.number().int().nullable(),
    entityType: z.string().nullable(),
    entityId: z.number().int().nullable(),
    status: z.enum(taskStatuses),
    completedAt: z.string().nullable(),
    remindedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Task');

type TaskRow = Awaited<ReturnType<typeof getTask>>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toTaskDto = (t: TaskRow): z.infer<typeof taskDtoSchema> => ({
  ...t,
  dueAt: iso(t.dueAt),
  completedAt: iso(t.completedAt),
  remindedAt: iso(t.remindedAt),
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export function tasksRoutes(db: Db, jobs: Jobs) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      request: { query: listQuerySchema.extend({ open: z.enum(['true', 'false']).optional(), assignee_id: canonicalId().optional() }) },
      responses: { 200: json(pageOf(taskDtoSchema), 'tasks visible to the caller'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listTasks(db, c.get('actor'), { limit: q.limit, cursor: q.cursor, openOnly: q.open === 'true', assigneeId: q.assignee_id });
      return c.json({ items: page.items.map(toTaskDto), next_cursor: page.next_cursor }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a task; its assignee is reminded at dueAt',
      request: { body: jsonBody(taskInputSchema) },
      responses: { 201: json(taskDtoSchema, 'created'), ...errors },
    }),
    async (c) => {
      const task = await createScheduledTask(db, jobs, c.get('actor'), c.req.valid('json'), (err) =>
        c.get('logger').warn({ err }, 'reminder not armed now; the worker sweep will arm it'),
      );
      return c.json(toTaskDto(task), 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(taskDtoSchema, 'the task'), ...errors } }),
    async (c) => c.json(toTaskDto(await getTask(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({ method: 'post', path: '/{id}/complete', tags, request: { params: idParamSchema }, responses: { 200: json(taskDtoSchema, 'done'), ...errors } }),
    async (c) => c.json(toTaskDto(await completeTask(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  return app;
}
