// Staff and their API tokens, for admins (anyone else: 403): the list, one user, adding and
// changing people, deactivating someone who left (his open records in the answer), handing
// those over, reactivating; a user's tokens listed, issued and revoked; invite codes.
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { createMiddleware } from 'hono/factory';
import type { Db } from '../../../db/client.ts';
import { languages, type User, userRoles, users } from '../../../db/schema/index.ts';
import { hasRole } from '../../crm/actor.ts';
import { type ApiTokenInfo, createApiToken, listApiTokens, revokeApiToken } from '../../crm/api-tokens.ts';
import { AccessDeniedError } from '../../crm/errors.ts';
import { createStaffInvite } from '../../crm/invites.ts';
import { handOverRecords, openRecordKinds, type OpenRecords, openRecordsOf } from '../../crm/open-records.ts';
import { deactivateUser, reactivateUser } from '../../crm/staff-lifecycle.ts';
import { createUser, getUser, listStaff, type StaffEntry, updateUser, userInputSchema, userPatchSchema } from '../../crm/users.ts';
import { text } from '../../crm/record-input.ts';
import { idParamSchema } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { errorResponses, jsonBody, jsonContent } from './openapi-parts.ts';
import { validationHook } from './validation-hook.ts';

const tags = ['users'];
const json = jsonContent;
const errors = errorResponses('user', 'refused by the staff rules: the last active admin, oneself, a deactivated user, a supervisor loop');

export const userDtoSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    roles: z.array(z.enum(userRoles)),
    supervisorId: z.number().int().nullable(),
    supervisorName: z.string().nullable(),
    department: z.string().nullable(),
    language: z.enum(languages),
    telegramLinked: z.boolean().openapi({ description: 'his Telegram is linked (/start <invite code>)' }),
    whatsappPhone: z.string().nullable(),
    isActive: z.boolean(),
    deactivatedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

const recordSchema = z.object({ kind: z.enum(openRecordKinds), id: z.number().int(), title: z.string() });
const openRecordsSchema = z
  .object({ lead: z.array(recordSchema), deal: z.array(recordSchema), task: z.array(recordSchema), contact: z.array(recordSchema), company: z.array(recordSchema), total: z.number().int() })
  .openapi('OpenRecords', { description: 'open leads and deals, open tasks, and the contacts and companies he is responsible for' });

const tokenDtoSchema = z
  .object({ id: z.number().int(), userId: z.number().int(), label: z.string().nullable(), createdAt: z.string(), revokedAt: z.string().nullable() })
  .openapi('ApiToken', { description: 'never the token itself' });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const toUserDto = (e: StaffEntry): z.infer<typeof userDtoSchema> => ({
  id: e.user.id,
  name: e.user.name,
  roles: e.user.roles,
  supervisorId: e.user.supervisorId,
  supervisorName: e.supervisorName,
  department: e.user.department,
  language: e.user.language,
  telegramLinked: e.telegramLinked,
  whatsappPhone: e.user.whatsappPhone,
  isActive: e.user.isActive,
  deactivatedAt: iso(e.user.deactivatedAt),
  createdAt: e.user.createdAt.toISOString(),
  updatedAt: e.user.updatedAt.toISOString(),
});

const toTokenDto = (k: ApiTokenInfo): z.infer<typeof tokenDtoSchema> => ({ ...k, createdAt: k.createdAt.toISOString(), revokedAt: iso(k.revokedAt) });

const handOverSchema = z
  .object({
    toUserId: z.number().int().positive(),
    records: z.array(z.object({ kind: z.enum(openRecordKinds), id: z.number().int().positive() }).strict()).min(1).max(1000).optional().openapi({ description: 'only these; all his open records when left out' }),
  })
  .strict();

/** Only admins reach the routes below: a manager's bad body is a 403 too, not a 422. */
const adminsOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!hasRole(c.get('actor'), 'admin')) throw new AccessDeniedError('user', null);
  await next();
});

export function usersRoutes(db: Db) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  for (const path of ['/users', '/users/*', '/tokens/*']) app.use(path, adminsOnly);

  const entryOf = async (user: User): Promise<StaffEntry> => {
    const boss = user.supervisorId === null ? [] : await db.select({ name: users.name }).from(users).where(eq(users.id, user.supervisorId));
    return { user, supervisorName: boss[0]?.name ?? null, telegramLinked: user.telegramUserId !== null, whatsappLinked: user.whatsappPhone !== null };
  };
  const dto = async (user: User) => toUserDto(await entryOf(user));

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags,
      summary: 'Staff: roles, active or not, linked Telegram and WhatsApp, supervisor',
      request: { query: z.object({ active: z.enum(['true', 'false']).optional().openapi({ param: { name: 'active', in: 'query' } }) }) },
      responses: { 200: json(z.object({ items: z.array(userDtoSchema) }), 'staff'), ...errors },
    }),
    async (c) => {
      const active = c.req.valid('query').active;
      const staff = await listStaff(db, c.get('actor'), active === undefined ? {} : { active: active === 'true' });
      return c.json({ items: staff.map(toUserDto) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/users', tags, summary: 'Add a staff member', request: { body: jsonBody(userInputSchema) }, responses: { 201: json(userDtoSchema, 'created'), ...errors } }),
    async (c) => c.json(await dto(await createUser(db, c.get('actor'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/users/{id}', tags, request: { params: idParamSchema }, responses: { 200: json(userDtoSchema, 'the user'), ...errors } }),
    async (c) => c.json(await dto(await getUser(db, c.get('actor'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/users/{id}',
      tags,
      summary: 'Change name, roles, supervisor, department, language, WhatsApp number; telegramUserId: null unlinks his Telegram',
      request: { params: idParamSchema, body: jsonBody(userPatchSchema) },
      responses: { 200: json(userDtoSchema, 'changed'), ...errors },
    }),
    async (c) => c.json(await dto(await updateUser(db, c.get('actor'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({ method: 'get', path: '/users/{id}/open-records', tags, request: { params: idParamSchema }, responses: { 200: json(openRecordsSchema, 'what he still holds'), ...errors } }),
    async (c) => c.json(await openRecordsOf(db, c.get('actor'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/deactivate',
      tags,
      summary: 'He left: API tokens revoked, unused invite codes dropped, bot conversations ended; no new leads or notices. Answers what he still holds',
      request: { params: idParamSchema },
      responses: {
        200: json(
          z.object({ user: userDtoSchema, alreadyInactive: z.boolean(), revokedTokens: z.number().int(), droppedInvites: z.number().int(), endedSessions: z.number().int(), openRecords: openRecordsSchema }),
          'deactivated (or was already)',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const r = await deactivateUser(db, c.get('actor'), c.req.valid('param').id);
      return c.json({ ...r, user: await dto(r.user), openRecords: r.openRecords as OpenRecords }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/reactivate',
      tags,
      summary: 'Access back; his old API tokens stay revoked',
      request: { params: idParamSchema },
      responses: { 200: json(z.object({ user: userDtoSchema, alreadyActive: z.boolean() }), 'active'), ...errors },
    }),
    async (c) => {
      const r = await reactivateUser(db, c.get('actor'), c.req.valid('param').id);
      return c.json({ user: await dto(r.user), alreadyActive: r.alreadyActive }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/handover',
      tags,
      summary: 'Hand his open records (or the ones listed) to another active staff member',
      request: { params: idParamSchema, body: jsonBody(handOverSchema) },
      responses: { 200: json(z.object({ moved: z.array(recordSchema), skipped: z.array(z.object({ kind: z.enum(openRecordKinds), id: z.number().int() })) }), 'handed over'), ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await handOverRecords(db, c.get('actor'), c.req.valid('param').id, body.toUserId, body.records), 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/users/{id}/tokens', tags, request: { params: idParamSchema }, responses: { 200: json(z.object({ items: z.array(tokenDtoSchema) }), 'his API tokens'), ...errors } }),
    async (c) => c.json({ items: (await listApiTokens(db, c.get('actor'), c.req.valid('param').id)).map(toTokenDto) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/tokens',
      tags,
      summary: 'Issue an API token; the token is in this answer only (its hash is kept)',
      request: { params: idParamSchema, body: { content: { 'application/json': { schema: z.object({ label: text(200).optional() }).strict() } }, required: false } },
      responses: { 201: json(z.object({ id: z.number().int(), token: z.string() }), 'issued'), ...errors },
    }),
    async (c) => {
      const body = c.req.valid('json') as { label?: string } | undefined;
      return c.json(await createApiToken(db, c.get('actor'), c.req.valid('param').id, body?.label), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/invites',
      tags,
      summary: 'A one-time code he sends to the bot as /start <code> to link his Telegram',
      request: { params: idParamSchema },
      responses: { 201: json(z.object({ code: z.string(), expiresAt: z.string() }), 'issued'), ...errors },
    }),
    async (c) => {
      const invite = await createStaffInvite(db, c.get('actor'), c.req.valid('param').id);
      return c.json({ code: invite.code, expiresAt: invite.expiresAt.toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{id}',
      tags,
      summary: 'Revoke an API token: refused (401) from the next request on',
      request: { params: idParamSchema },
      responses: { 200: json(tokenDtoSchema.extend({ alreadyRevoked: z.boolean() }), 'revoked (or was already)'), ...errors },
    }),
    async (c) => {
      const r = await revokeApiToken(db, c.get('actor'), c.req.valid('param').id);
      return c.json({ ...toTokenDto(r.token), alreadyRevoked: r.alreadyRevoked }, 200);
    },
  );

  return app;
}
