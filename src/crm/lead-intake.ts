// Leads that arrive from outside (site forms, marketplaces): the source must be one the company
// configured, the sender becomes (or is found as) a contact, and a resubmission of the same
// external id is the same lead.
import { asc, and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Contact, contacts, type Lead, leads } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { getCompanyConfig } from './company-config.ts';
import { createContact } from './contacts.ts';
import { loadFieldDefs, validateCustomValues } from './custom-fields.ts';
import { CrmError, ValidationError } from './errors.ts';
import { createLead } from './leads.ts';
import { checkedRecord, customSchema, emailSchema, phoneSchema, requiredText, storableString, text } from './record-input.ts';
import { parseInput } from './validate.ts';

export class UnknownLeadSourceError extends CrmError {
  override name = 'UnknownLeadSourceError';
  constructor(
    readonly source: string,
    readonly known: string[],
    options?: { cause?: unknown },
  ) {
    super(`unknown lead source "${source}"; the company's sources are: ${known.join(', ')}`, options);
  }
}

/** The configured lead source with this key; anything else is an UnknownLeadSourceError. */
export async function requireLeadSource(db: Db, key: string): Promise<{ key: string; name: string }> {
  const { leadSources } = await getCompanyConfig(db);
  const found = leadSources.find((s) => s.key === key);
  if (!found) throw new UnknownLeadSourceError(key, leadSources.map((s) => s.key));
  return found;
}

const utmValue = text(500);
/** The standard utm_* tags, and whatever else a form passes along (gclid, yclid, ...). */
export const intakeUtmSchema = checkedRecord(
  z
    .object({
      utm_source: utmValue.optional(),
      utm_medium: utmValue.optional(),
      utm_campaign: utmValue.optional(),
      utm_content: utmValue.optional(),
      utm_term: utmValue.optional(),
    })
    .catchall(utmValue)
    .refine((u) => Object.keys(u).length <= 30, 'at most 30 tags')
    .refine((u) => Object.keys(u).every((k) => k.length <= 64), 'tag names are at most 64 characters'),
);

export const leadIntakeFields = {
  /** The sender's id of the submission (form entry id, marketplace order id); resubmissions dedupe on it. */
  externalId: z.union([requiredText(200), z.number().int().nonnegative().transform(String)]).optional(),
  title: requiredText(500).optional(),
  name: requiredText(200).optional(),
  phone: phoneSchema.optional(),
  email: storableString().trim().pipe(emailSchema).optional(),
  comment: text(10_000).optional(),
  utm: intakeUtmSchema.optional(),
  /** Lead custom fields by key, checked against the company's lead field definitions. */
  fields: customSchema.optional(),
};

/** Someone must be reachable: a lead with neither a phone nor an e-mail cannot be answered (a name alone reaches no one). */
export const requireReachable = (v: { phone?: string; email?: string }, ctx: z.RefinementCtx) => {
  if (v.phone || v.email) return;
  for (const field of ['phone', 'email']) ctx.addIssue({ code: 'custom', path: [field], message: 'a phone or an e-mail is required' });
};

export const leadIntakeSchema = z.object({ source: requiredText(100), ...leadIntakeFields }).superRefine(requireReachable);
export type LeadIntakeInput = z.input<typeof leadIntakeSchema>;

export interface LeadIntakeResult {
  lead: Lead;
  /** False when this source already sent this external id: the stored lead, nothing changed. */
  created: boolean;
  contactId: number | null;
  /** True when no contact had the phone or e-mail and one was created. */
  contactCreated: boolean;
}

/** The oldest contact with this (normalized) phone, else with this e-mail (any case). */
export async function findContactByPhoneOrEmail(db: Db, phone: string | undefined, email: string | undefined): Promise<Contact | null> {
  if (phone) {
    const [byPhone] = await db.select().from(contacts).where(eq(contacts.phone, phone)).orderBy(asc(contacts.id)).limit(1);
    if (byPhone) return byPhone;
  }
  if (email) {
    const [byEmail] = await db
      .select()
      .from(contacts)
      .where(sql`lower(${contacts.email}) = ${email.toLowerCase()}`)
      .orderBy(asc(contacts.id))
      .limit(1);
    if (byEmail) return byEmail;
  }
  return null;
}

/**
 * Stores an external submission as a lead linked to its contact. Custom field problems are
 * reported as `fields.<key>`. Concurrent submissions of one external id, or of one phone or
 * e-mail, are serialized with transaction advisory locks, so a retry storm makes one lead and
 * one contact.
 */
export async function intakeLead(db: Db, actor: Actor, input: LeadIntakeInput): Promise<LeadIntakeResult> {
  const data = parseInput(leadIntakeSchema, input);
  const source = await requireLeadSource(db, data.source);
  let custom: Record<string, unknown> = {};
  if (data.fields) {
    try {
      custom = validateCustomValues(await loadFieldDefs(db, 'lead'), data.fields);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      throw new ValidationError(
        err.issues.map((i) => ({ ...i, field: i.field.replace(/^custom\./, 'fields.') })),
        { cause: err },
      );
    }
  }
  const who = data.name ?? data.phone ?? data.email!;
  const title = data.title ?? `${source.name}: ${who}`.slice(0, 500);

  return db.transaction(async (tx) => {
    if (data.externalId !== undefined) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lead-intake:${data.source}:${data.externalId}`}))`);
      const [existing] = await tx
        .select()
        .from(leads)
        .where(and(eq(leads.source, data.source), eq(leads.externalKey, data.externalId)));
      if (existing) return { lead: existing, created: false, contactId: existing.contactId, contactCreated: false };
    }
    // Phone before e-mail, always in this order, so two locks never wait on each other in a cycle.
    for (const key of [data.phone && `phone:${data.phone}`, data.email && `email:${data.email.toLowerCase()}`]) {
      if (key) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`contact-intake:${key}`}))`);
    }
    let contact = await findContactByPhoneOrEmail(tx, data.phone, data.email);
    const contactCreated = !contact;
    contact ??= await createContact(tx, actor, { firstName: data.name ?? null, phone: data.phone ?? null, email: data.email ?? null });
    const { lead, created } = await createLead(tx, actor, {
      title,
      source: data.source,
      externalKey: data.externalId ?? null,
      contactId: contact.id,
      companyId: contact.companyId,
      utm: data.utm as Record<string, string> | undefined,
      comment: data.comment ?? null,
      custom,
    });
    return { lead, created, contactId: lead.contactId, contactCreated: created && contactCreated };
  });
}
