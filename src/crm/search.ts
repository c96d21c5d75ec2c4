// One search box for the bot: a name, a phone or a record number finds leads, deals, contacts
// and companies at once, each list limited to what the actor may open.
import { and, arrayContains, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { type Company, type Contact, companies, contacts, type Deal, deals, type Lead, leads } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { normalizePhone } from './phone.ts';
import { isStorableText } from './record-input.ts';

export interface SearchResult {
  leads: Lead[];
  deals: Deal[];
  contacts: Contact[];
  companies: Company[];
}

export const DEFAULT_SEARCH_LIMIT = 10;
const MAX_SEARCH_LIMIT = 50;
// Fewer digits than this match too many phones to be useful, and are record numbers anyway.
const MIN_PHONE_DIGITS = 5;

interface ParsedQuery {
  pattern: string;
  id: number | null;
  phoneDigits: string | null;
}

/**
 * The digits to look for when a query is a phone number, in any notation; null when it is not
 * one. A Russian number may be typed and stored as +7..., 8... or bare ten digits: its national
 * part (the ten digits after the country code) matches them all.
 */
export function phoneQueryDigits(text: string, minDigits = MIN_PHONE_DIGITS): string | null {
  const digits = text.replace(/\D/g, '');
  if (!/^[\d\s()+\-.]+$/.test(text.trim()) || digits.length < minDigits) return null;
  const e164 = normalizePhone(text);
  return e164 && /^\+7\d{10}$/.test(e164) ? e164.slice(2) : digits;
}

export function parseSearchQuery(raw: string): ParsedQuery | null {
  const text = raw.trim().slice(0, 200);
  // Text Postgres could not compare (a NUL) finds nothing rather than failing.
  if (!text || !isStorableText(text)) return null;
  const num = /^#\s*(\d{1,15})$|^(\d{1,15})$/.exec(text);
  const id = num ? Number(num[1] ?? num[2]) : null;
  const phoneDigits = phoneQueryDigits(text);
  return { pattern: `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`, id: id !== null && Number.isSafeInteger(id) ? id : null, phoneDigits };
}

/** The column holds a phone whose digits contain these, however it was written. */
export const phoneMatches = (column: AnyPgColumn, digits: string) => sql`regexp_replace(coalesce(${column}, ''), '[^0-9]', '', 'g') like ${`%${digits}%`}`;

/** Managers see what they are responsible for (and, where the record has observers, observe). */
function visible(actor: Actor, responsible: AnyPgColumn, observers?: AnyPgColumn): SQL | undefined {
  if (hasRole(actor, 'admin', 'supervisor')) return undefined;
  if (actor.userId === null) return sql`false`;
  return observers ? or(eq(responsible, actor.userId), arrayContains(observers, [actor.userId])) : eq(responsible, actor.userId);
}

// The record whose number was typed comes first, then the newest.
const order = (idColumn: AnyPgColumn, q: ParsedQuery) => (q.id === null ? [desc(idColumn)] : [sql`(${idColumn} = ${q.id}) desc`, desc(idColumn)]);

export async function searchRecords(db: Db, actor: Actor, query: string, opts: { limit?: number } = {}): Promise<SearchResult> {
  const q = parseSearchQuery(query);
  if (!q) return { leads: [], deals: [], contacts: [], companies: [] };
  const limit = Math.min(Math.max(1, Math.trunc(opts.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
  const byId = (column: AnyPgColumn) => (q.id === null ? undefined : eq(column, q.id));
  const byPhone = (column: AnyPgColumn) => (q.phoneDigits === null ? undefined : phoneMatches(column, q.phoneDigits));

  const contactName = or(
    ilike(sql`concat_ws(' ', ${contacts.lastName}, ${contacts.firstName}, ${contacts.middleName})`, q.pattern),
    ilike(sql`concat_ws(' ', ${contacts.firstName}, ${contacts.middleName}, ${contacts.lastName})`, q.pattern),
    ilike(sql`concat_ws(' ', ${contacts.firstName}, ${contacts.lastName})`, q.pattern),
  );

  const [leadRows, dealRows, contactRows, companyRows] = await Promise.all([
    db
      .select()
      .from(leads)
      .where(and(visible(actor, leads.responsibleId), or(byId(leads.id), ilike(leads.title, q.pattern))))
      .orderBy(...order(leads.id, q))
      .limit(limit),
    db
      .select()
      .from(deals)
      .where(and(visible(actor, deals.responsibleId, deals.observerIds), or(byId(deals.id), ilike(deals.title, q.pattern))))
      .orderBy(...order(deals.id, q))
      .limit(limit),
    db
      .select()
      .from(contacts)
      .where(and(visible(actor, contacts.responsibleId, contacts.observerIds), or(byId(contacts.id), contactName, byPhone(contacts.phone))))
      .orderBy(...order(contacts.id, q))
      .limit(limit),
    db
      .select()
      .from(companies)
      .where(and(visible(actor, companies.responsibleId, companies.observerIds), or(byId(companies.id), ilike(companies.name, q.pattern), byPhone(companies.phone))))
      .orderBy(...order(companies.id, q))
      .limit(limit),
  ]);
  return { leads: leadRows, deals: dealRows, contacts: contactRows, companies: companyRows };
}
