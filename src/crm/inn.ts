// A Russian taxpayer number (ИНН): 10 digits for an organisation, 12 for a person or a sole
// trader, the last one (or two) control digits over the others. One company card per INN.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies } from '../../db/schema/index.ts';
import { DuplicateInnError } from './errors.ts';

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const control = (digits: number[], weights: number[]) => (weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11) % 10;

export type InnProblem = 'format' | 'checksum';
export const innProblemMessages: Record<InnProblem, string> = {
  format: 'must be 10 or 12 digits',
  checksum: 'has a wrong control digit: no INN looks like this (check the number)',
};

/** Null when the INN is valid; otherwise what is wrong with it. */
export function innProblem(inn: string): InnProblem | null {
  if (!/^(\d{10}|\d{12})$/.test(inn)) return 'format';
  const d = [...inn].map(Number);
  const ok = d.length === 10 ? control(d, W10) === d[9] : control(d, W11) === d[10] && control(d, W12) === d[11];
  return ok ? null : 'checksum';
}

/**
 * Refuses an INN another company has. Run inside the writing transaction: the advisory lock
 * holds a second writer of the same INN until this one commits, so two at once cannot both pass.
 */
export async function requireUniqueInn(tx: Db, inn: string, exceptCompanyId?: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`company-inn:${inn}`}))`);
  const [other] = await tx
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(and(eq(companies.inn, inn), exceptCompanyId === undefined ? undefined : ne(companies.id, exceptCompanyId)))
    .limit(1);
  if (other) throw new DuplicateInnError(inn, { entity: 'company', id: other.id, name: other.name });
}
