// The dealer case study end to end through the emulators: a customer writes on WhatsApp, the
// request reaches the managers in Telegram, one takes it and answers the customer (who gets it
// on WhatsApp), converts it and moves the deal through every stage of "Farm machinery" with
// the data and files each asks for, to Won. Then the refusals: Lost without a reason is not
// possible, a card moved meanwhile is not overwritten, another manager's deal stays closed.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deals, inboundMessages, leads, stageHistory, stages, timelineEntries } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { moveDealToStage } from '../../../src/crm/move-deal.ts';
import { startSalesStack, type SalesStack } from '../../support/sales-stack.ts';

const PHONE = '79035550101';
const NAME = 'Петр Фермеров';

describe('dealer: WhatsApp request → deal won, from Telegram', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let boris: Awaited<ReturnType<SalesStack['staff']>>;
  let victor: Awaited<ReturnType<SalesStack['staff']>>;
  let leadId = 0;
  let dealId = 0;
  const next = (pred?: (text: string) => boolean) => s.telegram.waitForMessage(anna.tg.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000).then((m) => m.text ?? '');

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'dealer');
    boris = await s.staff('Борис Руководителев', ['supervisor']);
    anna = await s.staff('Анна Смирнова', ['manager'], { supervisorId: boris.user.id });
    victor = await s.staff('Виктор Петров', ['manager'], { supervisorId: boris.user.id });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('a customer on WhatsApp makes a request; the managers get it in Telegram; one takes it', async () => {
    await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Добрый день, нужен трактор' });
    leadId = Number(/№ (\d+)/.exec((await s.whatsapp.waitForMessage(PHONE)).text ?? '')?.[1]);
    expect(leadId).toBeGreaterThan(0);
    await s.whatsapp.waitForMessage(PHONE, (m) => m.text === 'Какая техника вас интересует?');
    await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Беларус 1221' });
    await s.whatsapp.waitForMessage(PHONE, (m) => /объем земли/.test(m.text ?? ''));
    await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: '350' });
    await s.whatsapp.waitForMessage(PHONE, (m) => /принята/.test(m.text ?? ''));

    const notice = await next((t) => t.includes(`Новая заявка № ${leadId}`));
    expect(notice).toContain('Интересующая техника: Беларус 1221');
    expect(notice).toContain('Объем земли: 350');
    expect((await s.telegram.waitForMessage(victor.tg.id)).text).toContain(`Новая заявка № ${leadId}`);

    s.press(anna.tg, 'Взять в работу');
    expect(await next()).toBe(`Заявка № ${leadId} теперь ваша.`);
    expect(await next()).toContain(`Ответственный: Анна Смирнова`);
    // Too late for Victor: he is told who has it.
    s.press(victor.tg, 'Взять в работу');
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /уже взял/.test(m.text ?? ''))).text).toBe('Заявку уже взял Анна Смирнова.');
  });

  it('the customer writes again: the message reaches Anna; her reply goes to him on WhatsApp', async () => {
    await s.whatsapp.customerSends({ from: PHONE, name: NAME, text: 'Когда пришлете коммерческое предложение?' });
    const relay = await s.telegram.waitForMessage(anna.tg.id, (m) => /Когда пришлете/.test(m.text ?? ''), 8000);
    expect(relay.text).toContain(`Фермеров Петр · заявка № ${leadId} · WhatsApp`);
    s.send(anna.tg, 'Пришлю КП сегодня до 18:00', { replyTo: relay.message_id });
    expect(await next()).toBe('Отправлено клиенту в WhatsApp.');
    expect((await s.whatsapp.waitForMessage(PHONE, (m) => /до 18:00/.test(m.text ?? ''), 8000)).text).toBe('Пришлю КП сегодня до 18:00');
    // The phone number was never shown to the customer as anyone's but the company's, and the
    // answer is on the lead's history.
    const entries = await s.db.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'lead'), eq(timelineEntries.entityId, leadId)));
    expect(entries.some((e) => e.kind === 'message' && (e.data as { direction?: string }).direction === 'out' && e.body === 'Пришлю КП сегодня до 18:00')).toBe(true);
  });

  it('Anna converts the request into a deal (a private person pays); it starts at New', async () => {
    s.press(anna.tg, /В сделку/);
    expect(await next()).toBe('Кто платит?');
    s.press(anna.tg, 'Частное лицо');
    expect(await next()).toMatch(/^Сумма сделки/);
    s.press(anna.tg, 'Пропустить');
    const done = await next();
    dealId = Number(/сделку № (\d+)/.exec(done)?.[1]);
    expect(done).toBe(`Заявка № ${leadId} переведена в сделку № ${dealId}.`);
    const card = await next();
    expect(card).toContain(`Сделка № ${dealId} · Сельскохозяйственная техника`);
    expect(card).toContain('Стадия: Новая (1 из 9)');
    expect(card).toContain('Интересующая техника: Беларус 1221');
  });

  /** Presses "next stage" on the newest card and answers what the stage asks. */
  async function nextStage(stageName: string, answers: (() => Promise<void>)[] = []) {
    s.press(anna.tg, `▶ ${stageName}`);
    for (const answer of answers) await answer();
    expect(await next((t) => t.includes('переведена на стадию') || t.includes('успешно закрыта'))).toMatch(new RegExp(`«${stageName}»`));
    expect(await next((t) => t.startsWith(`💼 Сделка № ${dealId} `))).toContain(`Стадия: ${stageName}`);
  }
  const expectAsk = (re: RegExp) => next((t) => re.test(t));

  it('moves the deal through every stage of "Farm machinery" with the data and files each needs, to Won', async () => {
    await nextStage('В работе');
    await nextStage('КП отправлено', [
      async () => {
        expect(await expectAsk(/нужно заполнить: 1/)).toContain('КП отправлено');
        await expectAsk(/^КП: пришлите файл/);
        // Text where a file is wanted: asked again.
        s.send(anna.tg, 'вот КП');
        expect(await expectAsk(/^Пришлите файл/)).toMatch(/документ или фото/);
        s.sendDocument(anna.tg, 'КП-Беларус.pdf');
      },
    ]);
    await nextStage('Отложенный спрос', [
      async () => {
        await expectAsk(/^Дата следующего контакта/);
        s.send(anna.tg, '31.02.2027');
        await expectAsk(/^Нужна дата/);
        s.send(anna.tg, 'завтра');
      },
    ]);
    await nextStage('Счет и договор отправлены', [
      async () => {
        await expectAsk(/нужно заполнить: 3/);
        await expectAsk(/^Договор: пришлите файл/);
        s.sendDocument(anna.tg, 'Договор.pdf');
        await expectAsk(/^Счет: пришлите файл/);
        // A photo where a file is wanted is the file.
        s.sendPhoto(anna.tg);
        await expectAsk(/^Сумма: введите сумму/);
        s.send(anna.tg, 'два миллиона');
        await expectAsk(/^Нужна сумма/);
        s.send(anna.tg, '2 450 000');
      },
    ]);
    await nextStage('Отгрузка', [
      async () => {
        await expectAsk(/^Дата оплаты/);
        s.send(anna.tg, '01.12.2026');
      },
    ]);
    await nextStage('Закрывающие документы', [
      async () => {
        await expectAsk(/^Дата отгрузки/);
        s.send(anna.tg, '02.12.2026');
      },
    ]);
    s.press(anna.tg, '✅ Успешно');
    await expectAsk(/^Акт приема-передачи: пришлите файл/);
    s.sendDocument(anna.tg, 'Акт.pdf');
    await expectAsk(/^УПД: пришлите файл/);
    s.sendDocument(anna.tg, 'УПД.pdf');
    expect(await next((t) => t.includes('успешно закрыта'))).toBe(`🎉 Сделка № ${dealId} успешно закрыта («Успешная сделка»).`);
    const wonCard = await next((t) => t.startsWith(`💼 Сделка № ${dealId} `));
    expect(wonCard).toContain('Стадия: Успешная сделка');
    expect(wonCard).not.toContain('Отказ');

    const [deal] = await s.db.db.select().from(deals).where(eq(deals.id, dealId));
    expect(deal!.closedAt).not.toBeNull();
    expect(deal!.amount).toBe('2450000.00');
    expect(deal!.custom).toMatchObject({
      proposal_file: { name: 'КП-Беларус.pdf', channel: 'telegram' },
      contract_file: { name: 'Договор.pdf' },
      invoice_file: { mime: 'image/jpeg' },
      payment_date: '2026-12-01',
      shipment_date: '2026-12-02',
      acceptance_act_file: { name: 'Акт.pdf' },
      upd_file: { name: 'УПД.pdf' },
    });
    const history = await s.db.db
      .select({ to: stages.key, by: stageHistory.movedById })
      .from(stageHistory)
      .innerJoin(stages, eq(stages.id, stageHistory.toStageId))
      .where(eq(stageHistory.dealId, dealId))
      .orderBy(asc(stageHistory.id));
    expect(history.map((h) => h.to)).toEqual(['new', 'in_work', 'proposal_sent', 'deferred', 'invoice_sent', 'shipment', 'closing_docs', 'won']);
    expect(history.slice(1).every((h) => h.by === anna.user.id)).toBe(true);
    const timeline = await s.db.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'deal'), eq(timelineEntries.entityId, dealId))).orderBy(asc(timelineEntries.id));
    expect(timeline.filter((e) => e.kind === 'stage_move')).toHaveLength(7);
    // The lead's history came along: the customer's messages and Anna's answer.
    expect(timeline.some((e) => e.kind === 'message' && e.body === 'Когда пришлете коммерческое предложение?')).toBe(true);
    expect(timeline.some((e) => e.kind === 'message' && e.body === 'Пришлю КП сегодня до 18:00')).toBe(true);
    const [lead] = await s.db.db.select().from(leads).where(eq(leads.id, leadId));
    expect(lead).toMatchObject({ status: 'converted', convertedDealId: dealId });
  }, 60_000);

  it('Lost without a reason is impossible: cancel at the reason leaves the deal as it was', async () => {
    const second = await newDeal('Нужен комбайн');
    const before = await dealRow(second);
    s.press(anna.tg, '❌ Отказ');
    expect(await expectAsk(/^Причина отказа: выберите причину/)).toBeTruthy();
    s.press(anna.tg, 'Отмена');
    expect(await next((t) => t.startsWith('Отменено'))).toBe(`Отменено. Сделка № ${second} не изменилась.`);
    const after = await dealRow(second);
    expect(after).toMatchObject({ stageId: before.stageId, version: before.version, closedAt: null });
    // The service refuses it too, whoever calls it.
    const lost = (await s.db.db.select().from(stages).where(and(eq(stages.pipelineId, before.pipelineId), eq(stages.key, 'lost'))))[0]!;
    await expect(moveDealToStage(s.db.db, userActor(anna.user), second, { toStage: lost.key, expectedVersion: before.version })).rejects.toMatchObject({ name: 'RequirementsNotMetError', missing: ['loss_reason'] });
    // With a reason of one's own it closes.
    s.press(anna.tg, '❌ Отказ');
    await expectAsk(/^Причина отказа/);
    s.send(anna.tg, 'Клиент выбрал б/у технику');
    expect(await next((t) => t.includes('проигранная'))).toBe(`Сделка № ${second} закрыта как проигранная («Отказ»).`);
    expect((await dealRow(second)).custom).toMatchObject({ loss_reason: 'Клиент выбрал б/у технику' });
  }, 30_000);

  it('a card moved meanwhile by someone else: Anna is told and shown the deal as it is, nothing overwritten', async () => {
    const third = await newDeal('Нужна сеялка');
    const card = await dealRow(third);
    // Boris (supervisor) moves it from his side while Anna still has the old card.
    const inWork = (await s.db.db.select().from(stages).where(and(eq(stages.pipelineId, card.pipelineId), eq(stages.key, 'in_work'))))[0]!;
    await moveDealToStage(s.db.db, userActor(boris.user), third, { toStage: 'in_work', expectedVersion: card.version });
    s.press(anna.tg, '▶ В работе');
    expect(await next((t) => t.includes('изменили'))).toBe(`Карточку № ${third} за это время изменили, ничего не записано. Вот как она выглядит сейчас:`);
    expect(await next((t) => t.startsWith(`💼 Сделка № ${third} `))).toContain('Стадия: В работе');
    const now = await dealRow(third);
    expect(now.stageId).toBe(inWork.id);
    expect(now.version).toBe(card.version + 1);
    expect(await s.db.db.select().from(stageHistory).where(eq(stageHistory.dealId, third))).toHaveLength(2);
  }, 30_000);

  it("another manager cannot open Anna's deal in the bot, by its button or by its number", async () => {
    s.telegram.userPresses('555001:SALES-TOKEN-ABCDEFGHIJKLMNOPQRSTU', { from: victor.tg, message_id: 1, data: `d:${dealId}:open`, unchecked: true });
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /Нет доступа/.test(m.text ?? ''))).text).toBe(`Нет доступа к сделке № ${dealId}: она не ваша. Попросите ответственного добавить вас в наблюдатели или обратитесь к руководителю.`);
    s.send(victor.tg, `#${dealId}`);
    expect((await s.telegram.waitForMessage(victor.tg.id, (m) => /ничего не найдено/.test(m.text ?? ''))).text).toContain(`По «#${dealId}» ничего не найдено`);
    // The supervisor can.
    s.send(boris.tg, `#${dealId}`);
    const found = await s.telegram.waitForMessage(boris.tg.id, (m) => /Найдено/.test(m.text ?? ''));
    expect(JSON.stringify(found.reply_markup)).toContain(`d:${dealId}:open`);
  });

  /** Another request from a new customer on Telegram, taken and converted by Anna; the new deal's id. */
  async function newDeal(text: string): Promise<number> {
    const customer = { id: 93000 + Math.floor(Math.random() * 1000), first_name: 'Клиент' };
    const n = await s.request(customer, text, ['Трактор', '-']);
    await next((t) => t.includes(`Новая заявка № ${n}`));
    s.telegram.userPresses('555001:SALES-TOKEN-ABCDEFGHIJKLMNOPQRSTU', { from: anna.tg, message_id: 1, data: `l:${n}:take`, unchecked: true });
    await next((t) => t.startsWith(`📋 Заявка № ${n} `));
    s.press(anna.tg, /В сделку/);
    await next((t) => t === 'Кто платит?');
    s.press(anna.tg, 'Частное лицо');
    await next((t) => t.startsWith('Сумма сделки'));
    s.press(anna.tg, 'Пропустить');
    const done = await next((t) => t.includes('переведена в сделку'));
    const id = Number(/сделку № (\d+)/.exec(done)?.[1]);
    // Its card is the newest message: the buttons pressed next are on it.
    await next((t) => t.startsWith(`💼 Сделка № ${id} `));
    return id;
  }

  const dealRow = async (id: number) => (await s.db.db.select().from(deals).where(eq(deals.id, id)))[0]!;
  void inboundMessages;
});
