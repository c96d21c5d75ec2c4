// The outside world of the inbound bench, in a process of its own: the Bot API emulator (as
// Telegram, receiving the replies) and the load generator (as Telegram, posting webhooks). The
// measured process then runs only the bot, as it would in production. Driven over IPC by
// inbound.bench.ts.
import { TelegramEmulator } from '../support/telegram-emulator.ts';
import { postAtRate, postLoad } from './bench-support.ts';

export type DriverRequest =
  /** Closed loop with `concurrency` in flight, or (with `perSecond`) open loop at that rate. */
  | { op: 'load'; url: string; bodies: string[]; concurrency: number; perSecond?: number; headers: Record<string, string>; token: string; expectReplies: number }
  /** Waits until the bot has sent nothing for `quietMs`; answers how many it sent since `since` (a call index). */
  | { op: 'settle'; token: string; since: number; quietMs: number }
  | { op: 'stop' };

export type DriverReply =
  | { op: 'ready'; apiRoot: string }
  /** `cpuMs`: this process's CPU over the load and the wait for replies (the emulator's and the load generator's). */
  | { op: 'loaded'; load: Awaited<ReturnType<typeof postLoad>>; repliedMs: number; replies: number; since: number; cpuMs: number }
  | { op: 'settled'; replies: number };

const tokens = JSON.parse(process.env.BENCH_TOKENS ?? '[]') as string[];
const emu = new TelegramEmulator({
  bots: tokens.map((token, i) => ({ token, username: `bench_${i}_bot` })),
  // Platform limits lifted: the bench measures our path, not Telegram's 30 msg/s.
  limits: { globalPerSecond: 1_000_000, perChatMinIntervalMs: 0, perChatToleranceMs: 0, groupPerMinute: 1_000_000 },
});
const { apiRoot } = await emu.start();
const send = (m: DriverReply) => process.send!(m);

/**
 * Counts the bot's answered sendMessage calls from `from` on, reading each call once: rescanning
 * the emulator's whole record every few milliseconds would take this process's CPU from the
 * bot being measured, more with every run.
 */
function replyCounter(token: string, from: number) {
  let cursor = from;
  let n = 0;
  return () => {
    // Calls are recorded in arrival order and answered later: stop at the first one unanswered.
    for (; cursor < emu.calls.length && emu.calls[cursor]!.status !== null; cursor++) {
      const c = emu.calls[cursor]!;
      if (c.token === token && c.method === 'sendMessage' && c.status === 200) n++;
    }
    return n;
  };
}

process.on('message', async (m: DriverRequest) => {
  if (m.op === 'stop') {
    await emu.stop();
    process.exit(0);
  }
  if (m.op === 'settle') {
    const replies = replyCounter(m.token, m.since);
    let seen = -1;
    while (replies() !== seen) {
      seen = replies();
      await new Promise((r) => setTimeout(r, m.quietMs));
    }
    return send({ op: 'settled', replies: seen });
  }
  const since = emu.calls.length;
  const replies = replyCounter(m.token, since);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const load = m.perSecond ? await postAtRate(m.url, m.bodies, m.perSecond, m.headers) : await postLoad(m.url, m.bodies, m.concurrency, m.headers);
  // Handled means answered: wait for the replies (up to 30 s after the last ack).
  const deadline = performance.now() + 30_000;
  while (replies() < m.expectReplies && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const cpu = process.cpuUsage(cpu0);
  send({ op: 'loaded', load, repliedMs: performance.now() - started, replies: replies(), since, cpuMs: (cpu.user + cpu.system) / 1000 });
});
send({ op: 'ready', apiRoot });
