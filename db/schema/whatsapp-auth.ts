import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * WhatsApp Web (Baileys) credentials and signal keys, one row per key, so a linked device
 * survives restarts and moves between machines with the database rather than a folder.
 */
export const whatsappAuth = pgTable('whatsapp_auth', {
  /** `<account>:creds` or `<account>:<key type>:<key id>`. */
  key: text('key').primaryKey(),
  /** Serialized with Baileys' BufferJSON, so binary keys round-trip. */
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
