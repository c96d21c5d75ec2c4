// What the logger's guarantees cost per line (sanitizer, scrubber, line cap), against plain
// pino writing the same calls, into a sink that discards. Lines: an info line with ids, an
// error line with a failed query (statement, parameters, a Postgres cause), and a field of
// 3.9 MB. Prints figures for people, then one JSON line with the same figures.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { createLogger } from '../../src/logger.ts';

const CALLS = 20_000;
const WARMUP = 2_000;

let bytes = 0;
const sink = () =>
  new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });

const pgError = Object.assign(new Error('insert or update on table "contacts" violates foreign key constraint "contacts_company_id_fk"'), {
  name: 'PostgresError',
  code: '23503',
  severity: 'ERROR',
  table_name: 'contacts',
  constraint_name: 'contacts_company_id_fk',
  detail: 'Key (company_id)=(987654321) is not present in table "companies".',
  routine: 'ri_ReportViolation',
});
const params = ['Евлампия', '+79161230077', 987654321, 'Привезите кирпич на объект'.repeat(20)];
const queryError = Object.assign(new Error(`Failed query: insert into "contacts" ("first_name", "phone", "company_id", "comment") values ($1, $2, $3, $4)\nparams: ${params.join(',')}`), {
  query: 'insert into "contacts" ("first_name", "phone", "company_id", "comment") values ($1, $2, $3, $4)',
  params,
  cause: pgError,
});
const huge = 'x'.repeat(3_900_000);

const cases: [string, (log: Logger) => void, number][] = [
  ['info line with ids', (log) => log.info({ inbound: 123, chat: '4242', bytes: 812 }, 'stored'), CALLS],
  ['error line, failed query', (log) => log.error({ err: queryError, update: 55_001 }, 'update handling failed'), CALLS],
  ['3.9 MB field', (log) => log.warn({ body: huge }, 'big'), 200],
];

const figures: Record<string, number> = {};
console.log('per line          chatcrm µs   pino µs   chatcrm bytes   pino bytes');
for (const [name, call, n] of cases) {
  const row: number[] = [];
  for (const log of [createLogger({ LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '7700123:AAFbenchToken_abcdefghijklmnopqrstuvw' }, sink()), pino({ level: 'info' }, sink())]) {
    for (let i = 0; i < Math.min(WARMUP, n); i++) call(log);
    bytes = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) call(log);
    const us = Number(process.hrtime.bigint() - started) / 1e3 / n;
    row.push(us, bytes / n);
  }
  const key = name.replace(/\W+/g, '_');
  figures[`${key}_us`] = Number(row[0]!.toFixed(2));
  figures[`${key}_pino_us`] = Number(row[2]!.toFixed(2));
  figures[`${key}_bytes`] = Math.round(row[1]!);
  figures[`${key}_pino_bytes`] = Math.round(row[3]!);
  console.log(`${name.padEnd(26)} ${row[0]!.toFixed(1).padStart(8)} ${row[2]!.toFixed(1).padStart(9)} ${Math.round(row[1]!).toString().padStart(15)} ${Math.round(row[3]!).toString().padStart(12)}`);
}
console.log(JSON.stringify({ bench: 'logger', ...figures }));
