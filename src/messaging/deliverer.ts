// Drains the outbox of one platform account under its rate limits. Messages to one chat go
// in order; different chats go in parallel. A reply produced while handling an update is sent
// at once through sendNow (same limits, same records) so the handler gets the platform's answer.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import type { OutboxMessageRow } from '../../db/schema/index.ts';
import { claimDue, claimOne, getOutboxRow, markFailed, markRetry, markSendStarted, markSent, recoverInFlight } from './outbox.ts';
import { markIdentityUnreachable } from './identity-reach.ts';
import type { PlatformSender, SendOutcome } from './platform-sender.ts';

export interface DelivererOptions {
  db: Db;
  sender: PlatformSender;
  logger: Logger;
  /** Chats served in parallel. */
  concurrency?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** First retry delay after a transient error; doubles each time. */
  backoffMs?: number;
  /** A message given up on (refused, unreachable, out of attempts): who should hear of it does. Errors are logged, not thrown. */
  onFailed?: (row: OutboxMessageRow) => Promise<unknown>;
}

export interface Deliverer {
  start(): Promise<void>;
  /** Stops claiming; waits for sends in flight. */
  stop(): Promise<void>;
  /** Something was enqueued: look now rather than at the next poll. */
  wake(): void;
  /** Sends one row now (claiming it), or waits for whoever has it; returns the final row. */
  sendNow(id: number): Promise<OutboxMessageRow>;
  /** Waits for a send slot to this chat; the call that follows must be sendClaimed. */
  reserve(chatId: string): Promise<void>;
  /**
   * Sends a row inserted already claimed and started (enqueueStarted) right after reserve;
   * retries like sendNow when the platform did not take it; returns the final row.
   */
  sendClaimed(row: OutboxMessageRow): Promise<OutboxMessageRow>;
  stats(): { sent: number; failed: number; rateLimited: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createDeliverer(opts: DelivererOptions): Deliverer {
  const { db, sender } = opts;
  const log = opts.logger.child({ deliverer: `${sender.channel}:${sender.account}` });
  const concurrency = opts.concurrency ?? 8;
  const pollMs = opts.pollMs ?? 250;
  const maxAttempts = opts.maxAttempts ?? 8;
  const backoffMs = opts.backoffMs ?? 1000;
  const stats = { sent: 0, failed: 0, rateLimited: 0 };
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;

  const paced = async (chatId: string) => {
    for (;;) {
      const wait = sender.limiter.reserve(chatId);
      if (wait === 0) return;
      await sleep(wait);
    }
  };

  /** One attempt at one claimed row; records the outcome. Returns the outcome for sendNow. */
  const attempt = async (row: OutboxMessageRow): Promise<SendOutcome> => {
    await markSendStarted(db, row.id, new Date());
    // The slot is taken right before the call, so the spacing the limiter keeps is the spacing
    // the platform sees (a database write in between would bunch the calls up).
    await paced(row.chatId);
    return (await call(row)).outcome;
  };

  /**
   * The platform call for a claimed row whose slot is taken; records the outcome. `final` is
   * the row as recorded when the outcome is final (sent, failed).
   */
  const call = async (row: OutboxMessageRow): Promise<{ outcome: SendOutcome; final?: OutboxMessageRow }> => {
    let outcome: SendOutcome;
    try {
      outcome = await sender.send(row.method, row.params);
    } catch (err) {
      outcome = { ok: false, kind: 'transient', message: err instanceof Error ? err.message : String(err) };
    }
    if (outcome.ok) {
      const final = await markSent(db, row, outcome.result, outcome.platformMessageId);
      stats.sent += 1;
      return { outcome, final };
    }
    let final: OutboxMessageRow | undefined;
    switch (outcome.kind) {
      case 'rate_limited':
        stats.rateLimited += 1;
        sender.limiter.pauseAll(outcome.retryAfterMs);
        log.warn({ retryAfterMs: outcome.retryAfterMs, outbox: row.id }, 'platform rate limit: pausing the account');
        await markRetry(db, row.id, outcome.message, new Date(Date.now() + outcome.retryAfterMs));
        break;
      case 'unreachable':
        stats.failed += 1;
        log.info({ chat: row.chatId, outbox: row.id, reason: outcome.message }, 'recipient unreachable');
        final = await markFailed(db, row.id, `unreachable: ${outcome.message}`);
        await markIdentityUnreachable(db, row.channel, row.chatId, outcome.message);
        break;
      case 'transient':
        if (row.attempts >= maxAttempts) {
          stats.failed += 1;
          log.error({ outbox: row.id, attempts: row.attempts, reason: outcome.message }, 'giving up on a message');
          final = await markFailed(db, row.id, outcome.message);
        } else {
          await markRetry(db, row.id, outcome.message, new Date(Date.now() + backoffMs * 2 ** (row.attempts - 1)));
        }
        break;
      case 'permanent':
        stats.failed += 1;
        log.error({ outbox: row.id, reason: outcome.message, method: row.method }, 'platform refused a message');
        final = await markFailed(db, row.id, outcome.message);
        break;
    }
    if (final?.status === 'failed' && opts.onFailed) {
      await opts.onFailed(final).catch((err: unknown) => log.error({ err, outbox: final.id }, 'could not tell anyone of a message given up on'));
    }
    return final ? { outcome, final } : { outcome };
  };

  const drainOnce = async (): Promise<number> => {
    const rows = await claimDue(db, sender.channel, sender.account, concurrency * 8, new Date());
    if (rows.length === 0) return 0;
    const byChat = new Map<string, OutboxMessageRow[]>();
    for (const r of rows) byChat.set(r.chatId, [...(byChat.get(r.chatId) ?? []), r]);
    const lanes = [...byChat.values()];
    let next = 0;
    const worker = async () => {
      while (next < lanes.length) {
        const lane = lanes[next++]!;
        for (const [i, row] of lane.entries()) {
          const outcome = await attempt(row);
          if (!outcome.ok && outcome.kind !== 'permanent' && outcome.kind !== 'unreachable') {
            // Keep the chat's order: what follows waits for the one that did not go.
            for (const rest of lane.slice(i + 1)) await markRetry(db, rest.id, 'waiting for an earlier message', new Date(Date.now() + 50));
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
    return rows.length;
  };

  const run = async () => {
    while (running) {
      let n = 0;
      try {
        n = await drainOnce();
      } catch (err) {
        log.error({ err }, 'outbox drain failed');
        await sleep(pollMs * 4);
      }
      if (n === 0 && running) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, pollMs);
          wakeUp = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wakeUp = null;
      }
    }
  };

  return {
    async start() {
      if (running) return;
      const recovered = await recoverInFlight(db, sender.channel, sender.account);
      if (recovered.requeued)
        log.warn(recovered, 'messages were claimed at the last stop: sending again; those whose call had started are marked possibly duplicated');
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      loop = null;
    },
    wake() {
      wakeUp?.();
    },
    async reserve(chatId: string) {
      await paced(chatId);
    },
    async sendClaimed(row: OutboxMessageRow) {
      const { final } = await call(row);
      return final ?? this.sendNow(row.id);
    },
    async sendNow(id: number) {
      for (let i = 0; i < 4; i++) {
        const row = await claimOne(db, id, new Date());
        if (!row) break;
        const outcome = await attempt(row);
        if (outcome.ok || outcome.kind === 'permanent' || outcome.kind === 'unreachable') break;
        // A rate limit or a blip: wait and try again here, so the handler gets its answer.
        const current = await getOutboxRow(db, id);
        const wait = current ? Math.max(0, current.nextAttemptAt.getTime() - Date.now()) : 0;
        if (wait > 30_000) break;
        await sleep(wait);
      }
      // Claimed by the background loop meanwhile, or left queued: wait for a final state.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const row = (await getOutboxRow(db, id))!;
        if (row.status !== 'queued' && row.status !== 'sending') return row;
        if (Date.now() > deadline) return row;
        await sleep(50);
      }
    },
    stats: () => ({ ...stats }),
  };
}
