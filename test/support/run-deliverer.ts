// A deliverer in a process of its own, so a test can kill it with SIGKILL mid-run.
// argv: <database url> <bot token> <api root> [concurrency] [fast]
// `fast` lifts the rate limits, for tests whose subject is not pacing.
import { pino } from 'pino';
import { createDb } from '../../db/client.ts';
import { createTelegramSender } from '../../bots/telegram/telegram-sender.ts';
import { createDeliverer } from '../../src/messaging/deliverer.ts';

const [url, token, apiRoot, concurrency, fast] = process.argv.slice(2);
if (!url || !token || !apiRoot) {
  process.stderr.write('usage: run-deliverer <database url> <bot token> <api root> [concurrency]\n');
  process.exit(2);
}
const handle = await createDb({ DATABASE_URL: url, DATA_DIR: '' });
const deliverer = createDeliverer({
  db: handle.db,
  sender: createTelegramSender({
    token,
    apiRoot,
    ...(fast === 'fast' ? { limits: { perAccount: { max: 1_000_000, windowMs: 1000 }, perChatGapMs: 0, perGroup: { max: 1_000_000, windowMs: 1000 }, isGroup: () => false } } : {}),
  }),
  logger: pino({ level: 'warn' }, pino.destination(2)),
  concurrency: Number(concurrency ?? 8),
  pollMs: 50,
});
await deliverer.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void deliverer.stop().then(() => handle.close()).then(() => process.exit(0));
});
