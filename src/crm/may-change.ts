// Whether the actor may change a record, asked before a flow starts asking questions: an
// observer pressing "edit" is told at once, not after typing the value.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, refusalReason } from './actor.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';

export type ChangeableEntity = 'deal' | 'lead' | 'contact' | 'company';

/** Throws what the change itself would: NotFoundError, or AccessDeniedError (reason 'observer' for an observer). */
export async function assertMayChange(db: Db, actor: Actor, entity: ChangeableEntity, id: number): Promise<void> {
  const record = await rightsOf(db, entity, id);
  if (!record) throw new NotFoundError(entity, id);
  if (canManageRecord(actor, record)) return;
  throw new AccessDeniedError(entity, id, canAccessRecord(actor, record) ? { reason: refusalReason(actor, record) } : {});
}

async function rightsOf(db: Db, entity: ChangeableEntity, id: number): Promise<{ responsibleId: number | null; observerIds: number[] } | undefined> {
  if (entity === 'lead') {
    const [r] = await db.select({ responsibleId: leads.responsibleId }).from(leads).where(eq(leads.id, id));
    return r && { ...r, observerIds: [] };
  }
  const table = entity === 'deal' ? deals : entity === 'contact' ? contacts : companies;
  const [r] = await db.select({ responsibleId: table.responsibleId, observerIds: table.observerIds }).from(table).where(eq(table.id, id));
  return r;
}
