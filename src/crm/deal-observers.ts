import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Deal, deals } from '../../db/schema/index.ts';
import { type Actor, canManageRecord, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, NotFoundError, StaleVersionError } from './errors.ts';
import { observerIdsSchema, versionSchema } from './record-input.ts';
import { requireActiveUsers } from './staff.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

const inputSchema = z.object({ observerIds: observerIdsSchema, expectedVersion: versionSchema });

/** Replaces the deal's observers. Observers see the deal but may not choose who else does. */
export async function setDealObservers(db: Db, actor: Actor, dealId: number, observerIds: number[], expectedVersion: number): Promise<Deal> {
  const data = parseInput(inputSchema, { observerIds, expectedVersion });
  const wanted = [...new Set(data.observerIds)];
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deals).where(eq(deals.id, dealId)).for('update');
    if (!before) throw new NotFoundError('deal', dealId);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('deal', dealId, { reason: refusalReason(actor, before) });
    if (before.version !== data.expectedVersion) throw new StaleVersionError('deal', dealId, data.expectedVersion, before.version);
    // Someone already observing who has since left may stay on the list; new ones must be active staff.
    await requireActiveUsers(tx, wanted.filter((id) => !before.observerIds.includes(id)), 'observerIds');
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
