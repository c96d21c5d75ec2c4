import { and, arrayContains, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Company, companies } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';

/** Companies the actor may see (as getCompany decides), by id; q matches the name or the INN. */
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
    const q = `%${opts.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const digits = opts.q.replace(/\D/g, '');
    where.push(or(ilike(companies.name, q), digits.length >= 4 ? ilike(companies.inn, `%${digits}%`) : undefined));
  }
  const rows = await db
    .select()
    .from(companies)
    .where(and(...where))
    .orderBy(companies.id)
    .limit(limit + 1);
  return toPage(rows, limit);
}
