import { createHash, timingSafeEqual } from 'node:crypto';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.ts';
import { systemActor } from '../../crm/actor.ts';
import { NotConfiguredError } from '../../crm/company-config.ts';
import { type FieldIssue, ValidationError } from '../../crm/errors.ts';
import { intakeLead, leadIntakeFields, requireLeadSource, requireReachable, UnknownLeadSourceError } from '../../crm/lead-intake.ts';
import { errorSchema } from '../dto.ts';
import type { AppEnv } from '../types.ts';
import { jsonContent } from './openapi-parts.ts';

/** A form submission or a marketplace order is a few KB; anything near this is not a lead. */
export const LEAD_WEBHOOK_BODY_LIMIT = 64 * 1024;
export const LEAD_WEBHOOK_TOKEN_HEADER = 'x-chatcrm-token';

export const leadWebhookBodySchema = z
  .object({
    external_id: leadIntakeFields.externalId.openapi({ description: 'id of the submission at the sender; a repeat answers the stored lead' }),
    title: leadIntakeFields.title,
    name: leadIntakeFields.name,
    phone: leadIntakeFields.phone.openapi({ description: 'any common notation; stored as E.164' }),
    email: leadIntakeFields.email,
    comment: leadIntakeFields.comment,
    utm: leadIntakeFields.utm,
    fields: leadIntakeFields.fields.openapi({ description: 'lead custom fields by key, checked against their types' }),
  })
  .superRefine(requireReachable)
  .openapi('LeadWebhookBody', { description: 'a phone or an e-mail (or both): a lead no one can answer is refused' });

const answerSchema = z.object({ lead_id: z.number().int(), created: z.boolean() }).openapi('LeadWebhookAnswer');

export interface LeadWebhookOptions {
  db: Db;
  /** LEADS_WEBHOOK_TOKEN; without it every request answers 503. */
  token: string | undefined;
  logger: Logger;
  onLeadCreated?: (leadId: number) => Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * POST /webhooks/leads/:source for site forms and marketplaces. Checked in this order, each
 * refusal logged and answered in the API's error shape with nothing stored: 503 no token
 * configured, 401 X-Chatcrm-Token missing or wrong, 413 body over 64 KB, 404 source not among
 * the company's lead sources, 400 not JSON, 422 invalid body or custom field. A new lead answers
 * 201, a repeat of its external_id 200 with the same lead_id; only a new one calls onLeadCreated.
 */
export function leadWebhookRoutes(opts: LeadWebhookOptions) {
  const app = new OpenAPIHono<AppEnv>();
  const expected = opts.token === undefined ? null : digest(opts.token);
  const logOf = (c: Context<AppEnv>) => (c.get('logger') ?? opts.logger).child({ webhook: 'leads', source: c.req.param('source') });

  const refuse = (c: Context<AppEnv>, status: ContentfulStatusCode, code: string, message: string, issues?: FieldIssue[]) => {
    logOf(c).warn({ status, code, reason: message, ...(issues ? { issues } : {}) }, 'lead webhook refused');
    return c.json({ error: { code, message, ...(issues ? { issues } : {}) } }, status);
  };

  app.openAPIRegistry.registerComponent('securitySchemes', 'leadsWebhookToken', { type: 'apiKey', in: 'header', name: 'X-Chatcrm-Token' });
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/{source}',
    tags: ['webhooks'],
    summary: 'A lead from a site form or a marketplace',
    security: [{ leadsWebhookToken: [] }],
    request: {
      params: z.object({ source: z.string().openapi({ param: { name: 'source', in: 'path' }, description: 'a lead source key of the company configuration' }) }),
      body: { content: { 'application/json': { schema: leadWebhookBodySchema } }, required: true },
    },
    responses: {
      201: jsonContent(answerSchema, 'a new lead'),
      200: jsonContent(answerSchema, 'this external_id was already stored: the same lead'),
      400: jsonContent(errorSchema, 'not JSON'),
      401: jsonContent(errorSchema, 'no or wrong X-Chatcrm-Token'),
      404: jsonContent(errorSchema, 'not a lead source of the company'),
      413: jsonContent(errorSchema, `body over ${LEAD_WEBHOOK_BODY_LIMIT} bytes`),
      422: jsonContent(errorSchema, 'invalid body or custom field, or neither phone nor email: the issues name the fields'),
      503: jsonContent(errorSchema, 'LEADS_WEBHOOK_TOKEN not set, or the company not configured'),
    },
  });

  app.post(
    '/:source',
    async (c, next) => {
      if (!expected) return refuse(c, 503, 'not_configured', 'the lead webhook is not configured: set LEADS_WEBHOOK_TOKEN');
      const given = c.req.header(LEAD_WEBHOOK_TOKEN_HEADER);
      if (given === undefined) return refuse(c, 401, 'unauthorized', 'the X-Chatcrm-Token header is required');
      if (!timingSafeEqual(digest(given), expected)) return refuse(c, 401, 'unauthorized', 'wrong X-Chatcrm-Token');
      return next();
    },
    bodyLimit({
      maxSize: LEAD_WEBHOOK_BODY_LIMIT,
      onError: (c) => refuse(c as Context<AppEnv>, 413, 'payload_too_large', `lead webhook body over ${LEAD_WEBHOOK_BODY_LIMIT} bytes`),
    }),
    async (c) => {
      const source = c.req.param('source');
      const known = (err: unknown) => {
        if (err instanceof UnknownLeadSourceError) return refuse(c, 404, 'not_found', err.message);
        if (err instanceof NotConfiguredError) return refuse(c, 503, 'not_configured', err.message);
        if (err instanceof ValidationError) return refuse(c, 422, 'validation_failed', 'some fields are invalid', err.issues);
        return null;
      };
      try {
        await requireLeadSource(opts.db, source);
      } catch (err) {
        const answer = known(err);
        if (answer) return answer;
        throw err;
      }

      let raw: unknown;
      try {
        raw = JSON.parse(await c.req.text());
      } catch {
        return refuse(c, 400, 'bad_request', 'the body is not valid JSON');
      }
      const parsed = leadWebhookBodySchema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
        return refuse(c, 422, 'validation_failed', 'some fields are invalid', issues);
      }
      const b = parsed.data;

      let result;
      try {
        result = await intakeLead(opts.db, systemActor, {
          source,
          externalId: b.external_id,
          title: b.title,
          name: b.name,
          phone: b.phone,
          email: b.email,
          comment: b.comment,
          utm: b.utm,
          fields: b.fields,
        });
      } catch (err) {
        const answer = known(err);
        if (answer) return answer;
        throw err;
      }

      const log = logOf(c);
      if (result.created && opts.onLeadCreated) {
        // The lead is stored; announcing it is best effort and never turns the answer into a retry.
        try {
          await opts.onLeadCreated(result.lead.id);
        } catch (err) {
          log.error({ err, lead: result.lead.id }, 'onLeadCreated failed');
        }
      }
      log.info({ lead: result.lead.id, created: result.created, contact: result.contactId, contactCreated: result.contactCreated }, 'lead webhook accepted');
      return c.json({ lead_id: result.lead.id, created: result.created }, result.created ? 201 : 200);
    },
  );

  return app;
}
