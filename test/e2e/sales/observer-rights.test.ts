// An observer in the bot: his deal card offers what he may do (comment, remind himself, a file
// for the history, open the client) and none of what he may not (stages, fields, the
// responsible, the observers); an old button pressed anyway is refused in his language and the
// deal stays as it was. And one company per INN: /newcompany with a wrong control digit is asked
// again, with an INN another company has is refused naming it, in the manager's language.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companies, deals } from '../../../db/schema/index.ts';
import { userActor } from '../../../src/crm/actor.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact } from '../../../src/crm/contacts.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { type SalesStack, startSalesStack } from '../../support/sales-stack.ts';

type Keyboard = { inline_keyboard?: { text: string; callback_data?: string }[][] };

describe('observers and INNs in the bot (dealer)', () => {
  let s: SalesStack;
  let anna: Awaited<ReturnType<SalesStack['staff']>>;
  let vera: Awaited<ReturnType<SalesStack['staff']>>;
  let dealId = 0;
  const next = (who: { id: number }, pred?: (text: string) => boolean) => s.telegram.waitForMessage(who.id, pred ? (m) => pred(m.text ?? '') : undefined, 8000);
  const dealRow = async () => (await s.db.db.select().from(deals).where(eq(deals.id, dealId)))[0]!;

  beforeAll(async () => {
    s = await startSalesStack('dealer', 'observers');
    anna = await s.staff('Анна Смирнова', ['manager']);
    vera = await s.staff('Vera Lis', ['manager'], { language: 'en' });
    const a = userActor(anna.user);
    const contact = await createContact(s.db.db, a, { firstName: 'Пётр', phone: '+79161112233', observerIds: [vera.user.id] });
    dealId = (await createDeal(s.db.db, a, { title: 'Трактор МТЗ-82', contactId: contact.id, observerIds: [vera.user.id] })).id;
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it("the observer's card has no buttons to move, edit or hand over the deal; the responsible's has them", async () => {
    await s.pressData(vera.tg, `d:${dealId}:open`);
    const card = await next(vera.tg, (t) => t.startsWith('💼'));
    const buttons = ((card.reply_markup as Keyboard).inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
    const actions = buttons.filter((d) => d.startsWith(`d:${dealId}:1:`)).map((d) => d.split(':').slice(3).join(':'));
    expect(actions.sort()).toEqual(['c', 'f', 'r', 't']);
    await s.pressData(anna.tg, `d:${dealId}:open`);
    const own = await next(anna.tg, (t) => t.startsWith('💼'));
    const ownActions = ((own.reply_markup as Keyboard).inline_keyboard ?? []).flat().map((b) => (b.callback_data ?? '').split(':')[3]);
    expect(ownActions).toEqual(expect.arrayContaining(['m', 's', 'e', 'o', 'a', 'c', 'r', 'f', 't']));
  });

  it('an old button pressed anyway is refused in his language at once, and the deal stays as it was', async () => {
    const before = await dealRow();
    for (const action of ['a', 'o', 'e', 'm:in_work', 's']) {
      await s.pressData(vera.tg, `d:${dealId}:1:${action}`);
      expect((await next(vera.tg)).text, action).toBe(
        `You observe the deal № ${dealId}: you may read it, comment, add files and set reminders for yourself. Changing it, moving it and handing it over is for its responsible or a supervisor.`,
      );
    }
    expect(await dealRow()).toEqual(before);
    // What he may do, he does.
    await s.pressData(vera.tg, `d:${dealId}:1:c`);
    await next(vera.tg);
    s.send(vera.tg, 'Client called me, wants a discount');
    expect((await next(vera.tg)).text).toBe('Comment saved.');
    expect((await next(vera.tg)).text).toContain('Client called me, wants a discount');
  });

  it('/newcompany: a wrong control digit is asked again; an INN another company has is refused, naming it, in his language', async () => {
    const first = await createCompany(s.db.db, userActor(anna.user), { name: 'ООО Агроцентр', inn: '7707083893' });
    s.send(vera.tg, '/newcompany');
    await next(vera.tg, (t) => t.startsWith("The company's name"));
    s.send(vera.tg, 'Agrocentre LLC');
    await next(vera.tg, (t) => t.startsWith('INN'));
    s.send(vera.tg, '7707083894');
    expect((await next(vera.tg)).text).toBe('No INN looks like that: its control digit does not match. Check the number.');
    await next(vera.tg, (t) => t.startsWith('INN'));
    s.send(vera.tg, '7707083893');
    expect((await next(vera.tg)).text).toBe(`A company with this INN already exists: No. ${first.id} "ООО Агроцентр". No second card made.`);
    expect(await s.db.db.select().from(companies).where(eq(companies.inn, '7707083893'))).toHaveLength(1);

    s.send(anna.tg, '/newcompany');
    await next(anna.tg, (t) => t.startsWith('Название компании'));
    s.send(anna.tg, 'Агроцентр-2');
    await next(anna.tg, (t) => t.startsWith('ИНН'));
    s.send(anna.tg, '7707083893');
    expect((await next(anna.tg)).text).toBe(`Компания с этим ИНН уже есть: № ${first.id} «ООО Агроцентр». Вторую карточку не создаю.`);
  });
});
