import type { Db } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';

export async function writeAudit(
  db: Db,
  actor: Actor,
  entry: { action: string; entityType: string; entityId: number | null; before?: object | null; after?: object | null },
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: actor.userId,
    actorLabel: actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: (entry.before ?? null) as Record<string, unknown> | null,
    after: (entry.after ?? null) as Record<string, unknown> | null,
  });
}
