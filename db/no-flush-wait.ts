// Durability where a promise rides on it, speed where a replay covers it. A statement that only
// records progress (an update marked processed, a reply marked sent, a customer's message
// copied onto his card) need not wait for its WAL to reach the disk: should Postgres crash
// before the flush, it is lost together with everything written after it (the WAL is one
// line), so the update is unprocessed again and its idempotent re-run writes it once more.
// What is promised to the outside keeps the full wait: the stored update behind a webhook's
// 200, the outbox row written before a platform call. On this kind of disk a flush is an fsync
// that now and then stalls for tens of milliseconds, and every commit queued behind it waits.
import { sql } from 'drizzle-orm';

/**
 * A FROM item that sets synchronous_commit off for the statement's own transaction. For
 * statements that run alone (autocommit): inside a transaction it would relax all of it.
 */
export const noFlushWait = sql`(select set_config('synchronous_commit', 'off', true)) as no_flush_wait`;
