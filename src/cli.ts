// chatcrm <command>: the process entry for people and scripts. Each command lives in
// src/commands/ and returns an exit code. `--help` (or -h) after any command prints its usage
// and does nothing else: no configuration read, no database opened.
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { ConfigError } from './config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';

const usage = `usage: chatcrm <command> [options]   (chatcrm <command> --help: that command's usage)

  start [--role all|web|worker|bot]   run the system (migrations applied first)
  migrate                             apply pending database migrations
  seed <preset>                       apply a company preset: dealer, b2b-supply, accessories, freight, lab
  demo [--preset dealer]              offline scripted run on an in-memory database
  parse-replies --now <ISO> [--tz Z]  carrier replies (JSON lines on stdin) to offers (JSON lines on stdout)
  users list|show|add|update|deactivate|reactivate|handover   staff and their lifecycle
  token create|list|revoke            API tokens of staff
  invite create --user <id>           one-time code a staff member sends to the bot as /start <code>
  whatsapp login [--timeout <s>]      link WhatsApp Web (Baileys): shows the QR to scan, default 120 s

On the embedded database (no DATABASE_URL) one process at a time opens the data folder: while
chatcrm start runs, users, token and invite are run by it; other commands wait until it stops.
`;

const PARSE_REPLIES_USAGE = `usage: chatcrm parse-replies --now <ISO datetime> [--tz <zone>]
  reads JSON lines {"id","text"} on stdin, writes one parsed offer line per input on stdout, in order
`;

const adminUsage = async (name: string) => (await import('./commands/admin-commands.ts')).adminCommands[name]!.usage;

/** Each command's usage, loaded only when asked for. */
const usageOf: Record<string, () => Promise<string>> = {
  start: async () => (await import('./commands/start.command.ts')).usage,
  migrate: async () => (await import('./commands/migrate.command.ts')).usage,
  seed: async () => (await import('./commands/seed.command.ts')).usage,
  demo: async () => (await import('./commands/demo.command.ts')).usage,
  'parse-replies': async () => PARSE_REPLIES_USAGE,
  users: () => adminUsage('users'),
  token: () => adminUsage('token'),
  invite: () => adminUsage('invite'),
  whatsapp: async () => (await import('./commands/whatsapp.command.ts')).usage,
};

/** --help or -h among the arguments (before a `--`, after which everything is a value). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return 0;
  }
  if (!command) {
    process.stderr.write(usage);
    return 2;
  }
  if (!Object.hasOwn(usageOf, command)) {
    process.stderr.write(`unknown command "${command}"\n\n${usage}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(await usageOf[command]!());
    return 0;
  }
  if (command === 'parse-replies') {
    // Needs no configuration and no database: a pure function over stdin.
    const { runParseReplies } = await import('./logistics/reply-parser/parse-replies-command.ts');
    return runParseReplies(rest, process.stdin, process.stdout, process.stderr);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger(config);
  switch (command) {
    case 'start':
      return (await import('./commands/start.command.ts')).startCommand(rest, config, logger);
    case 'migrate':
      return (await import('./commands/migrate.command.ts')).migrateCommand(rest, config, logger);
    case 'seed':
      return (await import('./commands/seed.command.ts')).seedCommand(rest, config, logger);
    case 'demo':
      return (await import('./commands/demo.command.ts')).demoCommand(rest, config, logger);
    case 'users':
    case 'token':
    case 'invite':
      return (await import('./commands/admin-commands.ts')).adminCommandMain(command, rest, config, logger);
    case 'whatsapp':
      return (await import('./commands/whatsapp.command.ts')).whatsappCommand(rest, config, logger);
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Another process has the embedded database: one line saying which, not a stack trace.
    if (err instanceof DataDirLockedError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
