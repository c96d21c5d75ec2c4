import { boolean, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.ts';
import { entityTypeEnum } from './enums.ts';

export const fieldTypes = ['number', 'string', 'date', 'money', 'enum', 'file', 'boolean'] as const;
export type FieldType = (typeof fieldTypes)[number];
export const fieldTypeEnum = pgEnum('field_type', fieldTypes);

/** Per-company custom fields of contacts, companies, leads and deals. */
export const customFieldDefs = pgTable(
  'custom_field_defs',
  {
    id: id(),
    entity: entityTypeEnum('entity').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: fieldTypeEnum('type').notNull(),
    /** Allowed values of an enum field. */
    options: jsonb('options').$type<string[]>().notNull().default([]),
    isRequired: boolean('is_required').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Dropped by a newer configuration while records hold a value: the values stay, the field takes no new ones. */
    isArchived: boolean('is_archived').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('custom_field_defs_entity_key_key').on(t.entity, t.key)],
);

export type CustomFieldDef = typeof customFieldDefs.$inferSelect;
