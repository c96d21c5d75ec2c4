/** The tables written for every message, inbound and outbound: the ones kept analyzed and vacuumed by us where nothing else does (hot-table-upkeep.ts). */
export const HOT_TABLES = ['inbound_messages', 'outbox_messages', 'contacts', 'contact_identities', 'timeline_entries', 'bot_sessions'] as const;
