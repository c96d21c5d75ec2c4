// What the API returns: rows with dates as ISO strings, field names as in the database model.
import { z } from '@hono/zod-openapi';
import { storableString } from '../crm/record-input.ts';
import { channels, type Company, type Contact, type ContactIdentity, type Deal, type Lead, type Pipeline, type Stage, stageKinds } from '../../db/schema/index.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const contactDtoSchema = z
  .object({
    id: z.number().int(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    middleName: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    position: z.string().nullable(),
    companyId: z.number().int().nullable(),
    responsibleId: z.number().int().nullable(),
    observerIds: z.array(z.number().int()),
    comment: z.string().nullable(),
    tags: z.array(z.string()),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Contact');

export const toContactDto = (c: Contact): z.infer<typeof contactDtoSchema> => ({
  ...c,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const contactChannelDtoSchema = z
  .object({
    id: z.number().int(),
    channel: z.enum(channels),
    externalId: z.string().openapi({ description: 'Telegram user id, or WhatsApp number (wa_id)' }),
    displayName: z.string().nullable(),
    reachable: z.boolean().openapi({ description: 'false once the platform refused to deliver (blocked the bot, no WhatsApp, 24-hour window closed), until he writes again' }),
    unreachableSince: z.string().nullable(),
    unreachableReason: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ContactChannel');

export const toContactChannelDto = (i: ContactIdentity): z.infer<typeof contactChannelDtoSchema> => ({
  id: i.id,
  channel: i.channel,
  externalId: i.externalId,
  displayName: i.displayName,
  reachable: i.unreachableAt === null,
  unreachableSince: i.unreachableAt?.toISOString() ?? null,
  unreachableReason: i.unreachableReason,
  createdAt: i.createdAt.toISOString(),
});

export const dealDtoSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    pipelineId: z.number().int(),
    stageId: z.number().int(),
    stageEnteredAt: z.string(),
    amount: z.string().nullable().openapi({ description: 'decimal string, 2 places' }),
    currency: z.string(),
    responsibleId: z.number().int().nullable(),
    observerIds: z.array(z.number().int()),
    contactId: z.number().int().nullable(),
    companyId: z.number().int().nullable(),
    leadId: z.number().int().nullable(),
    source: z.string().nullable(),
    utm: z.record(z.string(), z.string()),
    comment: z.string().nullable(),
    custom: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    closedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Deal');

export const toDealDto = (d: Deal): z.infer<typeof dealDtoSchema> => ({
  ...d,
  stageEnteredAt: d.stageEnteredAt.toISOString(),
  closedAt: iso(d.closedAt),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

export const leadDtoSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    source: z.string(),
    status: z.string().openapi({ description: 'a lead status key of the company configuration' }),
    statusReason: z.string().nullable(),
    externalKey: z.string().nullable(),
    contactId: z.number().int().nullable(),
    companyId: z.number().int().nullable(),
    responsibleId: z.number().int().nullable(),
    utm: z.record(z.string(), z.string()),
    custom: z.record(z.string(), z.unknown()),
    comment: z.string().nullable(),
    convertedDealId: z.number().int().nullable(),
    convertedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Lead');

export const toLeadDto = (l: Lead): z.infer<typeof leadDtoSchema> => ({
  ...l,
  convertedAt: iso(l.convertedAt),
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});

export const companyDtoSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    messenger: z.string().nullable(),
    industry: z.string().nullable(),
    inn: z.string().nullable(),
    responsibleId: z.number().int().nullable(),
    observerIds: z.array(z.number().int()),
    comment: z.string().nullable(),
    custom: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Company');

export const toCompanyDto = (c: Company): z.infer<typeof companyDtoSchema> => ({
  ...c,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const stageDtoSchema = z
  .object({
    id: z.number().int(),
    key: z.string(),
    name: z.string(),
    kind: z.enum(stageKinds),
    sortOrder: z.number().int(),
    requirements: z.array(z.object({ field: z.string(), hint: z.string().optional() })),
    allowedFrom: z.array(z.string()).nullable().openapi({ description: 'stage keys a deal may come from; null: any' }),
  })
  .openapi('Stage');

export const pipelineDtoSchema = z
  .object({
    id: z.number().int(),
    key: z.string(),
    name: z.string(),
    isDefault: z.boolean(),
    sortOrder: z.number().int(),
    stages: z.array(stageDtoSchema),
    createdAt: z.string(),
  })
  .openapi('Pipeline');

export const toPipelineDto = (p: Pipeline & { stages: Stage[] }): z.infer<typeof pipelineDtoSchema> => ({
  id: p.id,
  key: p.key,
  name: p.name,
  isDefault: p.isDefault,
  sortOrder: p.sortOrder,
  stages: p.stages.map((s) => ({
    id: s.id,
    key: s.key,
    name: s.name,
    kind: s.kind,
    sortOrder: s.sortOrder,
    requirements: s.requirements,
    allowedFrom: s.allowedFrom,
  })),
  createdAt: p.createdAt.toISOString(),
});

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });

const CANONICAL_ID = /^[1-9][0-9]{0,15}$/;
const ID_MESSAGE = 'must be a record number: a positive whole number in digits, without leading zeros, spaces or signs';

/**
 * A record number as a URL carries it: digits only, no leading zero, so `/deals/1` is the one
 * spelling of deal 1 (`%201`, `0001`, `1e0`, `0x1` are refused, not read as 1).
 */
export const canonicalId = () =>
  z
    .string()
    .regex(CANONICAL_ID, ID_MESSAGE)
    .transform(Number)
    .refine(Number.isSafeInteger, ID_MESSAGE)
    .openapi({ type: 'integer', minimum: 1, description: 'a record number', example: 42 });

/** Text in a query string: what Postgres can compare (no NUL, no unpaired surrogates). */
export const queryText = (max: number) => storableString().max(max);

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional().openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: queryText(200).optional().openapi({ param: { name: 'cursor', in: 'query' } }),
});

export const idParamSchema = z.object({
  id: canonicalId().openapi({ param: { name: 'id', in: 'path' } }),
});

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');
