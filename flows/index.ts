// Every flow, by the id it is entered with. One definition serves Telegram and WhatsApp.
import type { ConversationBuilder } from '@grammyjs/conversations';
import type { BotContext } from '../bots/telegram/context.ts';
import { ANSWER_CUSTOMER_FLOW, answerCustomerFlow } from './answer-customer.flow.ts';
import { ATTACH_FILE_FLOW, attachFileFlow } from './attach-file.flow.ts';
import { COMMENT_FLOW, commentFlow } from './comment.flow.ts';
import { CONVERT_LEAD_FLOW, convertLeadFlow } from './convert-lead.flow.ts';
import { EDIT_FIELD_FLOW, editFieldFlow } from './edit-field.flow.ts';
import type { FlowContext, FlowDeps } from './flow-types.ts';
import { INTAKE_FLOW, intakeFlow } from './intake.flow.ts';
import { LEAD_STATUS_FLOW, leadStatusFlow } from './lead-status.flow.ts';
import { MOVE_DEAL_FLOW, moveDealFlow } from './move-deal.flow.ts';
import { NEW_COMPANY_FLOW, NEW_CONTACT_FLOW, newCompanyFlow, newContactFlow } from './new-contact.flow.ts';
import { ASSIGN_FLOW, assignFlow, OBSERVERS_FLOW, observersFlow } from './people.flow.ts';
import { REMIND_AT_FLOW, REMIND_FLOW, remindAtFlow, remindFlow } from './remind.flow.ts';

export type FlowBuilder = ConversationBuilder<BotContext, FlowContext>;

/** Who a flow is for: a customer's (entered on his message) or staff's (entered from their commands and cards). */
export type FlowAudience = 'customer' | 'staff';

export function allFlows(deps: FlowDeps): [string, FlowBuilder, FlowAudience][] {
  const flows: [string, (...args: never[]) => Promise<unknown>, FlowAudience][] = [
    [INTAKE_FLOW, intakeFlow(deps), 'customer'],
    [MOVE_DEAL_FLOW, moveDealFlow(deps), 'staff'],
    [CONVERT_LEAD_FLOW, convertLeadFlow(deps), 'staff'],
    [LEAD_STATUS_FLOW, leadStatusFlow(deps), 'staff'],
    [COMMENT_FLOW, commentFlow(deps), 'staff'],
    [REMIND_FLOW, remindFlow(deps), 'staff'],
    [REMIND_AT_FLOW, remindAtFlow(deps), 'staff'],
    [ATTACH_FILE_FLOW, attachFileFlow(deps), 'staff'],
    [EDIT_FIELD_FLOW, editFieldFlow(deps), 'staff'],
    [ASSIGN_FLOW, assignFlow(deps), 'staff'],
    [OBSERVERS_FLOW, observersFlow(deps), 'staff'],
    [ANSWER_CUSTOMER_FLOW, answerCustomerFlow(deps), 'staff'],
    [NEW_CONTACT_FLOW, newContactFlow(deps), 'staff'],
    [NEW_COMPANY_FLOW, newCompanyFlow(deps), 'staff'],
  ];
  return flows as unknown as [string, FlowBuilder, FlowAudience][];
}
