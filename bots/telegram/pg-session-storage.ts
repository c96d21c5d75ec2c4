// Conversation state on Postgres (the conversations plugin's context storage): it survives
// restarts and is shared by every bot process. A write made while an inbound update is handled
// also marks that update processed, in the same transaction: once a flow has taken an answer, a
// re-run of the update (after a crash) must not feed the same answer to the flow a second time.
import type { VersionedStateStorage } from '@grammyjs/conversations';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { botSessions } from '../../db/schema/index.ts';
import { markInboundProcessedIn } from '../../src/messaging/inbox.ts';
import type { BotContext } from './context.ts';

/**
 * State kept per chat under `namespace:<chat id>`; a context with no chat keeps none. The
 * update being handled is the one on ctx.crm (set by the inbox middleware).
 */
export function pgSessionStorage<T>(db: Db, namespace: string): VersionedStateStorage<BotContext, T> {
  const keyOf = (ctx: BotContext) => (ctx.chatId === undefined ? undefined : `${namespace}:${ctx.chatId}`);
  const withUpdateMarked = async (ctx: BotContext, change: (tx: Db) => Promise<void>) => {
    const inboundId = ctx.crm?.row.id;
    if (inboundId === undefined) return change(db);
    await db.transaction(async (tx) => {
      await change(tx);
      await markInboundProcessedIn(tx, inboundId);
    });
  };
  return {
    async read(ctx) {
      const key = keyOf(ctx);
      return key === undefined ? undefined : ((await sessionReads(db)(key)) as never);
    },
    async write(ctx, value) {
      const key = keyOf(ctx);
      if (key === undefined) return;
      await withUpdateMarked(ctx, async (tx) => {
        await tx
          .insert(botSessions)
          .values({ key, value: value as never })
          .onConflictDoUpdate({ target: botSessions.key, set: { value: value as never, updatedAt: sql`now()` } });
      });
    },
    async delete(ctx) {
      const key = keyOf(ctx);
      if (key === undefined) return;
      await withUpdateMarked(ctx, async (tx) => {
        await tx.delete(botSessions).where(eq(botSessions.key, key));
      });
    },
  };
}

/** Every update of a chat reads its state: reads made at once share one statement (see groupedStatement). */
const sessionReads = groupedStatementFor((db: Db) => async (keys: string[]) => {
  const found = await db.execute(sql`select * from ${botSessions} where key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`);
  const byKey = new Map(rowsOf<Record<string, unknown>>(found).map((raw) => [String(raw.key), rowAs(botSessions, raw).value]));
  return keys.map((key) => byKey.get(key));
});
