// Where linking a WhatsApp Web device stands, kept in Postgres so that the web process can show
// admins the QR that the bot process (or `chatcrm whatsapp login`) got from Baileys: one row of
// `whatsapp_auth` under `:link:<account>`. It lies outside every account's `<account>:` prefix
// (account names are never empty), so no auth key can collide with it and clearing the auth
// state after a logout leaves it, to say `logged_out`. No Baileys import here: the web process
// must not load it.
// Times are the database's (`now()` on write and on read), so a QR's age is right even when the
// bot and web processes run on machines whose clocks differ.
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { whatsappAuth } from '../../db/schema/index.ts';

/** `refused`: WhatsApp closes the connection refusing the number (403) or the linked device (411); the bot keeps trying. */
export const linkStatuses = ['waiting_for_scan', 'linked', 'logged_out', 'refused'] as const;
export type LinkStatus = (typeof linkStatuses)[number];

/** WhatsApp replaces a linking QR every 20 s or so; one older than this cannot be scanned. */
export const QR_MAX_AGE_MS = 60_000;

export interface LinkState {
  account: string;
  status: LinkStatus;
  /** The QR to scan; null when none was made, it is older than QR_MAX_AGE_MS, or linking is over. */
  qr: string | null;
  /** When this status (and its QR) was written; null when nothing was ever written. */
  updatedAt: Date | null;
  /** WhatsApp's close code when `refused` (403 the number, 411 the device); null otherwise. */
  refusedCode: number | null;
}

export class LinkStatusError extends Error {
  override name = 'LinkStatusError';
}

export const linkKey = (account: string) => `:link:${account}`;

interface StoredLink {
  status: LinkStatus;
  qr: string | null;
  code?: number;
}

export async function writeLinkStatus(db: Db, account: string, value: StoredLink): Promise<void> {
  await db
    .insert(whatsappAuth)
    .values({ key: linkKey(account), value })
    .onConflictDoUpdate({ target: whatsappAuth.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
}

/**
 * The link as admins should see it. Without a `link` row (nothing linked this way yet, or the
 * device was linked before statuses were kept) the stored credentials tell whether it is linked.
 */
export async function readLinkStatus(db: Db, account: string, maxQrAgeMs = QR_MAX_AGE_MS): Promise<LinkState> {
  const [row] = await db
    .select({
      value: whatsappAuth.value,
      updatedAt: whatsappAuth.updatedAt,
      fresh: sql<boolean>`${whatsappAuth.updatedAt} > now() - make_interval(secs => ${maxQrAgeMs / 1000})`,
    })
    .from(whatsappAuth)
    .where(eq(whatsappAuth.key, linkKey(account)));
  if (row) {
    const stored = row.value as Partial<StoredLink>;
    const status = linkStatuses.find((s) => s === stored.status);
    if (!status) throw new LinkStatusError(`unreadable WhatsApp link status for account "${account}": ${JSON.stringify(row.value)}`);
    const qr = status === 'waiting_for_scan' && row.fresh && typeof stored.qr === 'string' ? stored.qr : null;
    const refusedCode = status === 'refused' && typeof stored.code === 'number' ? stored.code : null;
    return { account, status, qr, updatedAt: row.updatedAt, refusedCode };
  }
  const [creds] = await db
    .select({ updatedAt: whatsappAuth.updatedAt })
    .from(whatsappAuth)
    .where(and(eq(whatsappAuth.key, `${account}:creds`), sql`${whatsappAuth.value} -> 'me' ->> 'id' is not null`));
  return creds
    ? { account, status: 'linked', qr: null, updatedAt: creds.updatedAt, refusedCode: null }
    : { account, status: 'waiting_for_scan', qr: null, updatedAt: null, refusedCode: null };
}

export interface LinkRecorder {
  qr(qr: string): void;
  linked(): void;
  loggedOut(): void;
  /** WhatsApp refused the number or the device, with its close code; the next `linked` ends it. */
  refused(code: number): void;
  /** Resolves once everything recorded so far is written. */
  flush(): Promise<void>;
}

/**
 * Records what the transport reports, in order: a QR written late must never land over the
 * `linked` that followed it. A failed write is logged and does not stop the connection.
 */
export function createLinkRecorder(db: Db, account: string, logger: Logger): LinkRecorder {
  let chain: Promise<void> = Promise.resolve();
  const record = (value: StoredLink) => {
    chain = chain
      .then(() => writeLinkStatus(db, account, value))
      .catch((err: unknown) => logger.error({ err: new LinkStatusError(`could not record WhatsApp link status ${value.status}`, { cause: err }) }, 'WhatsApp link status not recorded'));
  };
  return {
    qr: (qr) => record({ status: 'waiting_for_scan', qr }),
    linked: () => record({ status: 'linked', qr: null }),
    loggedOut: () => record({ status: 'logged_out', qr: null }),
    refused: (code) => record({ status: 'refused', qr: null, code }),
    flush: () => chain,
  };
}
