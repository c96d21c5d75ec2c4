// A customer's update handled again (the process died after its effects, before it was marked
// processed; the recovery sweep runs it again): the lead is not made twice, the message lands
// once on each card, the manager gets one relay, the customer one answer.
import type { Update } from 'grammy/types';
import { and, eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages, leads, outboxMessages, timelineEntries } from '../../../db/schema/index.ts';
import { startInboundRecovery } from '../../../src/messaging/inbound-recovery.ts';
import { startSalesStack, type SalesStack, TELEGRAM_ACCOUNT } from '../../support/sales-stack.ts';

describe('an update handled twice changes nothing the second time', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'rerun');
    anna = await s.staff('Анна Смирнова', ['manager']);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  /** As if the process had died after the effects: stored, not processed, a while ago; then the sweep. */
  const rerun = async (text: string) => {
    await s.db.db
      .update(inboundMessages)
      .set({ processedAt: null, receivedAt: sql`now() - interval '5 minutes'` })
      .where(and(eq(inboundMessages.chatId, '98001'), eq(inboundMessages.text, text)));
    const sweep = startInboundRecovery({
      db: s.db.db,
      channel: 'telegram',
      account: TELEGRAM_ACCOUNT,
      logger: pino({ level: 'silent' }),
      sweepAtStart: false,
      redispatch: (row) => s.bot.handleUpdate(row.payload.raw as Update),
    });
    try {
      return await sweep.sweepOnce();
    } finally {
      await sweep.stop();
    }
  };

  it('the first message (a lead) and an open-line message, run again', async () => {
    const customer = { id: 98001, first_name: 'Повтор' };
    const number = await s.request(customer, 'Нужен грейдер', ['ДЗ-98', '-']);
    await s.pressData(anna.tg, `l:${number}:take`);
    await s.telegram.waitForMessage(anna.tg.id, (m) => /теперь ваша/.test(m.text ?? ''));
    s.send(customer, 'Есть ли в наличии?');
    await s.telegram.waitForMessage(anna.tg.id, (m) => /Есть ли в наличии/.test(m.text ?? ''));
    await new Promise((r) => setTimeout(r, 300));
    const before = {
      sentToCustomer: s.telegram.sentMessages(customer.id).length,
      sentToAnna: s.telegram.sentMessages(anna.tg.id).length,
      entries: (await s.db.db.select().from(timelineEntries)).length,
    };

    expect(await rerun('Есть ли в наличии?')).toBe(1);
    expect(await rerun('Нужен грейдер')).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.telegram.sentMessages(anna.tg.id)).toHaveLength(before.sentToAnna);
    expect(s.telegram.sentMessages(customer.id)).toHaveLength(before.sentToCustomer);
    expect((await s.db.db.select().from(timelineEntries)).length).toBe(before.entries);
    expect(await s.db.db.select().from(leads)).toHaveLength(1);
    const relays = await s.db.db.select().from(outboxMessages).where(eq(outboxMessages.chatId, String(anna.tg.id)));
    // One relay of that message (a card Anna got may quote it too, when it was drawn after the message came).
    const relayed = relays.filter((r) => r.idempotencyKey.startsWith('staff:relay:') && (r.params as { text?: string }).text?.includes('Есть ли в наличии'));
    expect(relayed).toHaveLength(1);
  });
});
