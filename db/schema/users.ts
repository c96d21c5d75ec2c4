import { type AnyPgColumn, boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './common.ts';
import { languageEnum } from './enums.ts';

export const userRoles = ['manager', 'logist', 'supervisor', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];
export const userRoleEnum = pgEnum('user_role', userRoles);

/** Staff: the people who work in the CRM from their messenger. */
export const users = pgTable(
  'users',
  {
    id: id(),
    name: text('name').notNull(),
    roles: userRoleEnum('roles').array().notNull().default([]),
    supervisorId: ref('supervisor_id').references((): AnyPgColumn => users.id, { onDelete: 'set null' }),
    department: text('department'),
    language: languageEnum('language').notNull().default('ru'),
    telegramUserId: ref('telegram_user_id'),
    whatsappPhone: text('whatsapp_phone'),
    isActive: boolean('is_active').notNull().default(true),
    /** When he was deactivated (left the company); null while active. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_telegram_user_id_key').on(t.telegramUserId),
    uniqueIndex('users_whatsapp_phone_key').on(t.whatsappPhone),
    index('users_supervisor_id_idx').on(t.supervisorId),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
