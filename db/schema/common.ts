import { bigint, timestamp } from 'drizzle-orm/pg-core';

export const entityTypes = ['contact', 'company', 'lead', 'deal', 'task'] as const;
export type EntityType = (typeof entityTypes)[number];

export const channels = ['telegram', 'whatsapp', 'email', 'phone', 'web'] as const;
export type Channel = (typeof channels)[number];

export const languages = ['ru', 'en'] as const;
export type Language = (typeof languages)[number];

export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity();
export const ref = (name: string) => bigint(name, { mode: 'number' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
