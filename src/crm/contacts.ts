import { and, arrayContains, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Contact, contacts } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, hasRole, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { AccessDeniedError, NotFoundError, ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { customSchema, definedOnly, emailSchema, idSchema, isStorableText, observerIdsSchema, optionalText, phoneSchema, requiredText, UNSTORABLE_TEXT_MESSAGE } from './record-input.ts';
import { changedIds, requireReadable, requireStaff, type WriteOptions } from './references.ts';
import { phoneMatches, phoneQueryDigits } from './search.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const contactInputSchema = z.object({
  firstName: optionalText(200),
  lastName: optionalText(200),
  middleName: optionalText(200),
  phone: phoneSchema.nullable().optional(),
  email: emailSchema.nullable().optional(),
  position: optionalText(200),
  companyId: idSchema.nullable().optional(),
  responsibleId: idSchema.nullable().optional(),
  observerIds: observerIdsSchema.optional(),
  comment: optionalText(10_000),
  tags: z.array(requiredText(64)).max(50).optional(),
  custom: customSchema.optional(),
});
export type ContactInput = z.input<typeof contactInputSchema>;

export function contactDisplayName(c: Pick<Contact, 'firstName' | 'lastName' | 'middleName' | 'phone' | 'id'>): string {
  const name = [c.lastName, c.firstName, c.middleName].filter(Boolean).join(' ');
  return name || c.phone || `#${c.id}`;
}

/** A contact's company is one the actor may read (his contacts go into no one else's company); its people are active staff. */
async function requireReferences(db: Db, actor: Actor, data: { companyId?: number | null; responsibleId?: number | null; observerIds?: number[] }) {
  await requireReadable(db, actor, [{ field: 'companyId', entity: 'company', id: data.companyId }]);
  await requireStaff(db, [
    { field: 'responsibleId', ids: [data.responsibleId] },
    { field: 'observerIds', ids: data.observerIds ?? [] },
  ]);
}

export async function createContact(db: Db, actor: Actor, input: ContactInput, opts: WriteOptions = {}): Promise<Contact> {
  const data = parseInput(contactInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'contact'), data.custom) : {};
  await requireReferences(db, actor, opts.carried ? { responsibleId: data.responsibleId, observerIds: data.observerIds } : data);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contacts)
      .values({
        ...definedOnly({ ...data, custom: undefined }),
        responsibleId: data.responsibleId ?? actor.userId,
        custom: mergeCustom({}, custom),
      })
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: row!.id, kind: 'system', data: { event: 'created' } });
    await writeAudit(tx, actor, { action: 'contact.create', entityType: 'contact', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getContact(db: Db, actor: Actor, id: number): Promise<Contact> {
  const [row] = await db.select().from(contacts).where(eq(contacts.id, id));
  if (!row) throw new NotFoundError('contact', id);
  if (!canAccessRecord(actor, row)) throw new AccessDeniedError('contact', id);
  return row;
}

/** The responsible, supervisors and admins change a contact; its observers read it. */
export async function updateContact(db: Db, actor: Actor, id: number, patch: ContactInput): Promise<Contact> {
  const data = parseInput(contactInputSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'contact'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
    if (!before) throw new NotFoundError('contact', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('contact', id);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('contact', id, { reason: refusalReason(actor, before) });
    await requireReferences(tx, actor, changedIds(data, before, ['companyId', 'responsibleId', 'observerIds']));
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(contacts)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(contacts.id, id))
      .returning();
    const changed = Object.keys(set);
    await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: id, kind: 'change', data: { fields: changed } });
    await writeAudit(tx, actor, { action: 'contact.update', entityType: 'contact', entityId: id, before, after });
    return after!;
  });
}

export async function listContacts(
  db: Db,
  actor: Actor,
  opts: { limit?: number; cursor?: string | null; q?: string; companyId?: number } = {},
): Promise<Page<Contact>> {
  const limit = clampLimit(opts.limit);
  const after = decodeCursor(opts.cursor);
  const where: (SQL | undefined)[] = [after === null ? undefined : gt(contacts.id, after)];
  if (!hasRole(actor, 'admin', 'supervisor')) {
    where.push(
      actor.userId === null
        ? sql`false`
        : or(eq(contacts.responsibleId, actor.userId), arrayContains(contacts.observerIds, [actor.userId])),
    );
  }
  if (opts.companyId) where.push(eq(contacts.companyId, opts.companyId));
  if (opts.q) {
    if (!isStorableText(opts.q)) throw new ValidationError([{ field: 'q', message: UNSTORABLE_TEXT_MESSAGE }]);
    const q = `%${opts.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    // A phone in any notation: 8 916..., +7 916... and 7916... find the same contact.
    const digits = phoneQueryDigits(opts.q, 4);
    where.push(or(ilike(contacts.firstName, q), ilike(contacts.lastName, q), ilike(contacts.email, q), digits ? phoneMatches(contacts.phone, digits) : undefined));
  }
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(contacts.id)
    .limit(limit + 1);
  return toPage(rows, limit);
}
