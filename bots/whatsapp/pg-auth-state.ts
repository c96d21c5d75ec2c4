// Baileys auth state in Postgres instead of files: the creds under `<account>:creds`, each
// signal key under `<account>:<type>:<id>`, serialized with Baileys' BufferJSON so binary
// keys survive jsonb. Any process with the database can take over the linked device.
import { type AuthenticationCreds, type AuthenticationState, BufferJSON, initAuthCreds, proto, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { whatsappAuth } from '../../db/schema/index.ts';

export interface PgAuthState {
  state: AuthenticationState;
  /** Called on every `creds.update`: the socket has changed `state.creds` in place. */
  saveCreds(): Promise<void>;
  /** Forgets the linked device (after a logout): the next start shows a QR again. */
  clear(): Promise<void>;
  /** Whether creds of a linked device were found. */
  linked: boolean;
}

export class AuthStateError extends Error {
  override name = 'AuthStateError';
}

const toJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value, BufferJSON.replacer));
const fromJson = <T>(value: unknown): T => JSON.parse(JSON.stringify(value), BufferJSON.reviver) as T;

export async function usePgAuthState(db: Db, account: string): Promise<PgAuthState> {
  if (!account || account.includes(':')) throw new AuthStateError(`bad WhatsApp account name "${account}": non-empty, without ':'`);
  const credsKey = `${account}:creds`;
  const keyOf = (type: string, id: string) => `${account}:${type}:${id}`;

  const write = async (entries: { key: string; value: unknown }[]) => {
    if (!entries.length) return;
    await db
      .insert(whatsappAuth)
      .values(entries.map((e) => ({ key: e.key, value: toJson(e.value) as never })))
      .onConflictDoUpdate({ target: whatsappAuth.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
  };

  const [stored] = await db.select({ value: whatsappAuth.value }).from(whatsappAuth).where(eq(whatsappAuth.key, credsKey));
  const creds: AuthenticationCreds = stored ? fromJson<AuthenticationCreds>(stored.value) : initAuthCreds();

  return {
    linked: Boolean(stored && creds.me?.id),
    state: {
      creds,
      keys: {
        get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
          const out: { [id: string]: SignalDataTypeMap[T] } = {};
          if (!ids.length) return out;
          const rows = await db
            .select({ key: whatsappAuth.key, value: whatsappAuth.value })
            .from(whatsappAuth)
            .where(inArray(whatsappAuth.key, ids.map((id) => keyOf(type, id))));
          const prefix = `${account}:${type}:`;
          for (const row of rows) {
            let value = fromJson<SignalDataTypeMap[T]>(row.value);
            // Baileys expects the protobuf class here, as its own file store gives it.
            if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object) as unknown as SignalDataTypeMap[T];
            out[row.key.slice(prefix.length)] = value;
          }
          return out;
        },
        set: async (data: SignalDataSet) => {
          const upserts: { key: string; value: unknown }[] = [];
          const deletes: string[] = [];
          for (const [type, entries] of Object.entries(data)) {
            for (const [id, value] of Object.entries(entries ?? {})) {
              if (value === null || value === undefined) deletes.push(keyOf(type, id));
              else upserts.push({ key: keyOf(type, id), value });
            }
          }
          await db.transaction(async (tx) => {
            if (deletes.length) await tx.delete(whatsappAuth).where(inArray(whatsappAuth.key, deletes));
            if (upserts.length) {
              await tx
                .insert(whatsappAuth)
                .values(upserts.map((e) => ({ key: e.key, value: toJson(e.value) as never })))
                .onConflictDoUpdate({ target: whatsappAuth.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } });
            }
          });
        },
      },
    },
    saveCreds: () => write([{ key: credsKey, value: creds }]),
    async clear() {
      const prefix = `${account}:`;
      await db.delete(whatsappAuth).where(sql`left(${whatsappAuth.key}, ${prefix.length}) = ${prefix}`);
    },
  };
}
