// Shared by the WhatsApp integration tests: an HTTP server for a Hono app, rows to look at.
import { serve, type ServerType } from '@hono/node-server';
import { asc, eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { pino } from 'pino';
import type { Db } from '../../../db/client.ts';
import { contactIdentities, contacts, inboundMessages, outboxMessages } from '../../../db/schema/index.ts';

export const silent = pino({ level: 'silent' });

export async function serveApp(app: Hono<any>): Promise<{ url: string; close(): Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const inboundRows = (db: Db) => db.select().from(inboundMessages).orderBy(asc(inboundMessages.id));
export const outboxRows = (db: Db) => db.select().from(outboxMessages).orderBy(asc(outboxMessages.id));

export async function identitiesOf(db: Db, externalId: string) {
  return db
    .select({ identity: contactIdentities, contact: contacts })
    .from(contactIdentities)
    .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
    .where(eq(contactIdentities.externalId, externalId));
}

export { waitFor } from '../../support/wait-for.ts';
