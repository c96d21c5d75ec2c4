import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Company, companies } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';
import { customSchema, definedOnly, emailSchema, idSchema, observerIdsSchema, optionalText, phoneSchema } from './record-input.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const companyInputSchema = z.object({
  name: z.string().trim().min(1).max(500),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  messenger: optionalText(200),
  industry: optionalText(200),
  inn: z
    .string()
    .regex(/^(\d{10}|\d{12})$/, 'must be 10 or 12 digits')
    .nullable()
    .optional(),
  responsibleId: idSchema.nullable().optional(),
  observerIds: observerIdsSchema.optional(),
  comment: optionalText(10_000),
  custom: customSchema.optional(),
});
export type CompanyInput = z.input<typeof companyInputSchema>;
export const companyPatchSchema = companyInputSchema.partial();

export async function createCompany(db: Db, actor: Actor, input: CompanyInput): Promise<Company> {
  const data = parseInput(companyInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'company'), data.custom) : {};
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(companies)
      .values({
        ...definedOnly({ ...data, custom: undefined }),
        name: data.name,
        responsibleId: data.responsibleId ?? actor.userId,
        custom: mergeCustom({}, custom),
      })
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'company', entityId: row!.id, kind: 'system', data: { event: 'created' } });
    await writeAudit(tx, actor, { action: 'company.create', entityType: 'company', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getCompany(db: Db, actor: Actor, id: number): Promise<Company> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  if (!row) throw new NotFoundError('company', id);
  if (!canAccessRecord(actor, row)) throw new AccessDeniedError('company', id);
  return row;
}

export async function updateCompany(db: Db, actor: Actor, id: number, patch: Partial<CompanyInput>): Promise<Company> {
  const data = parseInput(companyPatchSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'company'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(companies).where(eq(companies.id, id)).for('update');
    if (!before) throw new NotFoundError('company', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('company', id);
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(companies)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(companies.id, id))
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'company', entityId: id, kind: 'change', data: { fields: Object.keys(set) } });
    await writeAudit(tx, actor, { action: 'company.update', entityType: 'company', entityId: id, before, after });
    return after!;
  });
}
