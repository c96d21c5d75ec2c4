import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Deal, deals } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, NotFoundError, StaleVersionError } from './errors.ts';
import { idSchema, observerIdsSchema } from './record-input.ts';
import { requireActiveUsers } from './staff.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

const inputSchema = z.object({ observerIds: observerIdsSchema, expectedVersion: idSchema });

/** Replaces the deal's observers. Observers see the deal but may not choose who else does. */
export async function setDealObservers(db: Db, actor: Actor, dealId: number, observerIds: number[], expectedVersion: number): Promise<Deal> {
  const data = parseInput(inputSchema, { observerIds, expectedVersion });
  const wanted = [...new Set(data.observerIds)];
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deals).where(eq(deals.id, dealId)).for('update');
    if (!before) throw new NotFoundError('deal', dealId);
    const isResponsible = actor.userId !== null && before.responsibleId === actor.userId;
    if (!isResponsible && !hasRole(actor, 'supervisor', 'admin')) throw new AccessDeniedError('deal', dealId);
    if (before.version !== data.expectedVersion) throw new StaleVersionError('deal', dealId, data.expectedVersion, before.version);
    await requireActiveUsers(tx, wanted, 'observerIds');
    const [after] = await tx
      .update(deals)
      .set({ observerIds: wanted, version: sql`${deals.version} + 1`, updatedAt: new Date() })
      .where(and(eq(deals.id, dealId), eq(deals.version, data.expectedVersion)))
      .returning();
    const change = { observers: { from: before.observerIds, to: wanted } };
    await addTimelineEntry(tx, actor, { entityType: 'deal', entityId: dealId, kind: 'change', data: change });
    await writeAudit(tx, actor, {
      action: 'deal.observers',
      entityType: 'deal',
      entityId: dealId,
      before: { observerIds: before.observerIds, version: before.version },
      after: { observerIds: wanted, version: after!.version },
    });
    return after!;
  });
}
