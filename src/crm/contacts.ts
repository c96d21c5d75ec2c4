import { and, arrayContains, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Contact, contacts } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { customSchema, definedOnly, emailSchema, idSchema, observerIdsSchema, optionalText, phoneSchema } from './record-input.ts';
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
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  custom: customSchema.optional(),
});
export type ContactInput = z.input<typeof contactInputSchema>;

export function contactDisplayName(c: Pick<Contact, 'firstName' | 'lastName' | 'middleName' | 'phone' | 'id'>): string {
  const name = [c.lastName, c.firstName, c.middleName].filter(Boolean).join(' ');
  return name || c.phone || `#${c.id}`;
}

export async function createContact(db: Db, actor: Actor, input: ContactInput): Promise<Contact> {
  const data = parseInput(contactInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'contact'), data.custom) : {};
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

export async function updateContact(db: Db, actor: Actor, id: number, patch: ContactInput): Promise<Contact> {
  const data = parseInput(contactInputSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'contact'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
    if (!before) throw new NotFoundError('contact', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('contact', id);
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
    const q = `%${opts.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const digits = opts.q.replace(/\D/g, '');
    where.push(
      or(
        ilike(contacts.firstName, q),
        ilike(contacts.lastName, q),
        ilike(contacts.email, q),
        digits.length >= 4 ? ilike(contacts.phone, `%${digits}%`) : undefined,
      ),
    );
  }
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(contacts.id)
    .limit(limit + 1);
  return toPage(rows, limit);
}
