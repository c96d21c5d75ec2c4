import { and, arrayContains, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Company, companies } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './record-input.ts';
import { phoneMatches, phoneQueryDigits } from './search.ts';

/** Companies the actor may see (as getCompany decides), by id; q matches the name, the INN or the phone. */
export async function listCompanies(db: Db, actor: Actor, opts: { limit?: number; cursor?: string | null; q?: string } = {}): Promise<Page<Company>> {
  const limit = clampLimit(opts.limit);
  const after = decodeCursor(opts.cursor);
  const where: (SQL | undefined)[] = [after === null ? undefined : gt(companies.id, after)];
  if (!hasRole(actor, 'admin', 'supervisor')) {
    where.push(
      actor.userId === null
        ? sql`false`
        : or(eq(companies.responsibleId, actor.userId), arrayContains(companies.observerIds, [actor.userId])),
    );
  }
  if (opts.q) {
    if (!isStorableText(opts.q)) throw new ValidationError([{ field: 'q', message: UNSTORABLE_TEXT_MESSAGE }]);
    const q = `%${opts.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const digits = opts.q.replace(/\D/g, '');
    const phone = phoneQueryDigits(opts.q, 5);
    where.push(or(ilike(companies.name, q), digits.length >= 4 ? ilike(companies.inn, `%${digits}%`) : undefined, phone ? phoneMatches(companies.phone, phone) : undefined));
  }
  const rows = await db
    .select()
    .from(companies)
    .where(and(...where))
    .orderBy(companies.id)
    .limit(limit + 1);
  return toPage(rows, limit);
}
