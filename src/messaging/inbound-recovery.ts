// The recovery sweep: a message that was stored (and acknowledged) but whose handling never
// committed — the process died, or the run failed — is handed back to routing. It runs where
// a channel's updates are handled; a lease keeps two processes off the same message.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { InboundMessageRow, MessagingChannel } from '../../db/schema/index.ts';
import { leaseUnprocessedInbound } from './inbox.ts';
import type { InboundMessage } from './message.ts';

export interface InboundRecoveryOptions {
  db: Db;
  channel: MessagingChannel;
  account: string;
  logger: Logger;
  /** Handles a stored message again, as it first arrived (the bot's full path). */
  redispatch(row: InboundMessageRow): Promise<void>;
  /** Younger messages are still being handled where they arrived. */
  minAgeMs?: number;
  intervalMs?: number;
  leaseMs?: number;
  /** Failed runs after which a message is left for a person to look at. */
  maxAttempts?: number;
  /** A first pass right away (what the last process left behind); default true. */
  sweepAtStart?: boolean;
}

export interface InboundRecovery {
  /** One pass: leases what is due and runs it; the number of messages run. */
  sweepOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startInboundRecovery(opts: InboundRecoveryOptions): InboundRecovery {
  const log = opts.logger.child({ recovery: `${opts.channel}:${opts.account}` });
  const minAgeMs = opts.minAgeMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? 30_000;
  let stopped = false;
  let current: Promise<number> | null = null;

  const sweepOnce = async (): Promise<number> => {
    const now = new Date();
    const rows = await leaseUnprocessedInbound(opts.db, {
      channel: opts.channel,
      account: opts.account,
      olderThan: new Date(now.getTime() - minAgeMs),
      leaseMs: opts.leaseMs ?? 5 * 60_000,
      maxAttempts: opts.maxAttempts ?? 5,
      limit: 100,
      now,
    });
    for (const row of rows) {
      if (stopped) break;
      log.warn({ inbound: row.id, externalId: row.externalId, attempts: row.attempts, lastError: row.lastError }, 'handling a stored message again');
      try {
        await opts.redispatch(row);
      } catch (err) {
        log.error({ err, inbound: row.id }, 'handling a stored message again failed');
      }
    }
    return rows.length;
  };

  const tick = () => {
    if (stopped || current) return;
    current = sweepOnce()
      .catch((err: unknown) => {
        log.error({ err }, 'recovery sweep failed');
        return 0;
      })
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  if (opts.sweepAtStart ?? true) tick();

  return {
    sweepOnce: async () => {
      await current;
      return sweepOnce();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** The InboundMessage as stored (JSON), with its date back as a Date. */
export function storedMessageOf(row: InboundMessageRow): InboundMessage {
  const stored = row.payload.message as Omit<InboundMessage, 'sentAt'> & { sentAt: string };
  return { ...stored, sentAt: new Date(stored.sentAt) };
}
