import { relations } from 'drizzle-orm';
import { companies } from './companies.ts';
import { contactIdentities, contacts } from './contacts.ts';
import { deals, stageHistory } from './deals.ts';
import { leads } from './leads.ts';
import { pipelines, stages } from './pipelines.ts';
import { users } from './users.ts';

export const usersRelations = relations(users, ({ one }) => ({
  supervisor: one(users, { fields: [users.supervisorId], references: [users.id] }),
}));

export const companiesRelations = relations(companies, ({ many, one }) => ({
  contacts: many(contacts),
  deals: many(deals),
  responsible: one(users, { fields: [companies.responsibleId], references: [users.id] }),
}));

export const contactsRelations = relations(contacts, ({ one, many }) => ({
  company: one(companies, { fields: [contacts.companyId], references: [companies.id] }),
  responsible: one(users, { fields: [contacts.responsibleId], references: [users.id] }),
  identities: many(contactIdentities),
  deals: many(deals),
}));

export const contactIdentitiesRelations = relations(contactIdentities, ({ one }) => ({
  contact: one(contacts, { fields: [contactIdentities.contactId], references: [contacts.id] }),
}));

export const pipelinesRelations = relations(pipelines, ({ many }) => ({
  stages: many(stages),
}));

export const stagesRelations = relations(stages, ({ one }) => ({
  pipeline: one(pipelines, { fields: [stages.pipelineId], references: [pipelines.id] }),
}));

export const leadsRelations = relations(leads, ({ one }) => ({
  contact: one(contacts, { fields: [leads.contactId], references: [contacts.id] }),
  company: one(companies, { fields: [leads.companyId], references: [companies.id] }),
  responsible: one(users, { fields: [leads.responsibleId], references: [users.id] }),
}));

export const dealsRelations = relations(deals, ({ one, many }) => ({
  pipeline: one(pipelines, { fields: [deals.pipelineId], references: [pipelines.id] }),
  stage: one(stages, { fields: [deals.stageId], references: [stages.id] }),
  contact: one(contacts, { fields: [deals.contactId], references: [contacts.id] }),
  company: one(companies, { fields: [deals.companyId], references: [companies.id] }),
  responsible: one(users, { fields: [deals.responsibleId], references: [users.id] }),
  lead: one(leads, { fields: [deals.leadId], references: [leads.id] }),
  history: many(stageHistory),
}));

export const stageHistoryRelations = relations(stageHistory, ({ one }) => ({
  deal: one(deals, { fields: [stageHistory.dealId], references: [deals.id] }),
}));
