// Postgres enums built from the `as const` tuples, so the database and zod agree.
import { pgEnum } from 'drizzle-orm/pg-core';
import { channels, entityTypes, languages } from './common.ts';

export const entityTypeEnum = pgEnum('entity_type', entityTypes);
export const channelEnum = pgEnum('channel', channels);
export const languageEnum = pgEnum('language', languages);
