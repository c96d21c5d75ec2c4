// The scripted demo: one dealer's day on an embedded database, told as it happens.
// Later work adds the chat transcript (customer on WhatsApp, manager in Telegram).
import type { Db } from '../../db/client.ts';
import { systemActor, userActor } from '../crm/actor.ts';
import { contactDisplayName } from '../crm/contacts.ts';
import { CrmError, RequirementsNotMetError, StaleVersionError } from '../crm/errors.ts';
import { convertLead, createLead, setLeadStatus } from '../crm/leads.ts';
import { moveDealToStage } from '../crm/move-deal.ts';
import { getPipeline } from '../crm/pipelines.ts';
import { createTask } from '../crm/tasks.ts';
import { listTimeline } from '../crm/timeline.ts';
import { createUser } from '../crm/users.ts';
import { applyPreset } from '../presets/apply-preset.ts';
import { loadPreset } from '../presets/load-preset.ts';

const file = (name: string) => ({ fileId: `demo-${name}`, name, size: 120_000, mime: 'application/pdf' });

export async function runCrmScenario(db: Db, print: (line: string) => void): Promise<void> {
  const preset = await loadPreset('dealer');
  const applied = await applyPreset(db, preset, systemActor);
  print(`[setup] preset "${preset.name}" applied (config version ${applied.version}): ${preset.title}`);
  const boss = await createUser(db, systemActor, { name: 'Ольга Руководитель', roles: ['supervisor'] });
  const anna = await createUser(db, systemActor, { name: 'Анна Менеджер', roles: ['manager'], supervisorId: boss.id });
  const manager = userActor(anna);
  print(`[setup] staff: ${anna.name} (manager), ${boss.name} (supervisor)`);

  const { lead } = await createLead(db, systemActor, {
    title: 'Трактор Беларус 82.1, нужен к весне',
    source: 'site',
    externalKey: 'form-1042',
    responsibleId: anna.id,
  });
  const dup = await createLead(db, systemActor, { title: 'повтор формы', source: 'site', externalKey: 'form-1042' });
  print(`[lead] #${lead.id} from the site form: "${lead.title}" (status ${lead.status}); the same form sent again → ${dup.created ? 'a second lead' : `still lead #${dup.lead.id}`}`);
  await setLeadStatus(db, manager, lead.id, 'in_work');
  const converted = await convertLead(db, manager, lead.id, {
    contact: { firstName: 'Пётр', lastName: 'Сидоров', phone: '8 903 555-12-34' },
    company: { name: 'КФХ Сидоров', custom: { land_area: 1200 } },
    amount: 4_500_000,
  });
  const pipeline = await getPipeline(db, { id: converted.deal.pipelineId });
  const stageName = (id: number) => pipeline.stages.find((s) => s.id === id)?.name ?? String(id);
  print(
    `[convert] lead #${lead.id} → deal #${converted.deal.id} "${converted.deal.title}" in "${pipeline.name}" / ${stageName(converted.deal.stageId)}, ` +
      `contact ${contactDisplayName(converted.contact!)} (${converted.contact!.phone}), company ${converted.company!.name}`,
  );

  let version = converted.deal.version;
  const move = async (to: string, values: Record<string, unknown> = {}) => {
    try {
      const r = await moveDealToStage(db, manager, converted.deal.id, { toStage: to, expectedVersion: version, values });
      version = r.deal.version;
      print(`[move] ${r.from.name} → ${r.to.name}${Object.keys(values).length ? ` with ${Object.keys(values).join(', ')}` : ''}`);
    } catch (err) {
      if (err instanceof RequirementsNotMetError) print(`[refused] ${to}: the stage needs ${err.missing.join(', ')}`);
      else if (err instanceof StaleVersionError) print(`[refused] ${to}: the deal changed meanwhile (version ${err.currentVersion})`);
      else if (err instanceof CrmError) print(`[refused] ${to}: ${err.message}`);
      else throw err;
    }
  };
  await move('in_work');
  await move('proposal_sent');
  await move('proposal_sent', { proposal_file: file('КП Беларус 82.1.pdf') });
  await move('lost');
  await move('deferred', { next_contact_date: '2026-12-01' });
  const task = await createTask(db, manager, {
    title: 'Позвонить Петру Сидорову: вернуться к КП',
    dueAt: new Date('2026-12-01T07:00:00Z'),
    entityType: 'deal',
    entityId: converted.deal.id,
  });
  print(`[task] #${task.id} "${task.title}" due ${task.dueAt!.toISOString()}`);
  await move('invoice_sent', { contract_file: file('Договор.pdf'), invoice_file: file('Счет.pdf') });
  await move('shipment', { payment_date: '2026-12-05' });
  await move('closing_docs', { shipment_date: '2026-12-12' });
  await move('won', { acceptance_act_file: file('Акт.pdf'), upd_file: file('УПД.pdf') });

  const timeline = await listTimeline(db, 'deal', converted.deal.id);
  print(`[timeline] deal #${converted.deal.id}: ${timeline.length} entries — ${timeline.map((e) => (e.kind === 'stage_move' ? `${e.data.from}→${e.data.to}` : e.kind)).join(', ')}`);
}
