// What entering a stage will ask: the stage's requirements the deal does not satisfy yet, each
// with the field's label and type, so a flow can ask for them one by one before the move.
import type { Db } from '../../db/client.ts';
import type { FieldType } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { getDeal } from '../crm/deals.ts';
import { isEmptyValue, loadFieldDefs } from '../crm/custom-fields.ts';
import { resolveStage } from '../crm/pipelines.ts';

export interface MissingValue {
  field: string;
  label: string;
  type: FieldType;
  options: string[];
}

export interface MovePlan {
  dealId: number;
  version: number;
  target: { key: string; name: string; kind: 'open' | 'won' | 'lost' };
  /** Asked in this order. */
  missing: MissingValue[];
  /** Requirements a flow cannot ask as a value (a contact, a company, a responsible must be set on the card). */
  unaskable: string[];
}

const STANDARD: Record<string, { label: string; type: FieldType }> = {
  amount: { label: 'amount', type: 'money' },
  comment: { label: 'comment', type: 'string' },
};

export async function planDealMove(db: Db, actor: Actor, dealId: number, toStage: string): Promise<MovePlan> {
  const deal = await getDeal(db, actor, dealId);
  const [target, defs] = await Promise.all([resolveStage(db, deal.pipelineId, toStage), loadFieldDefs(db, 'deal')]);
  const current: Record<string, unknown> = { amount: deal.amount, comment: deal.comment, contact: deal.contactId, company: deal.companyId, responsible: deal.responsibleId };
  const missing: MissingValue[] = [];
  const unaskable: string[] = [];
  for (const { field } of target.requirements) {
    const value = field in current ? current[field] : deal.custom[field];
    if (!isEmptyValue(value)) continue;
    const std = STANDARD[field];
    const def = defs.find((d) => d.key === field);
    if (std) missing.push({ field, label: std.label, type: std.type, options: [] });
    else if (def) missing.push({ field, label: def.label, type: def.type, options: def.options });
    else unaskable.push(field);
  }
  return { dealId, version: deal.version, target: { key: target.key, name: target.name, kind: target.kind }, missing, unaskable };
}
