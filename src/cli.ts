// chatcrm <command>: the process entry for people and scripts. Each command lives in
// src/commands/ and returns an exit code. `--help` (or -h) after any command prints its usage
// and does nothing else: no configuration read, no database opened.
import { ConfigError, EnvFileError, parseConfig, readEnvironment, type EnvFile } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';

const usage = `usage: chatcrm <command> [options]   (chatcrm <command> --help: that command's usage)

  start [--role all|web|worker|bot]   run the system (migrations applied first)
  migrate                             apply pending database migrations
  seed <preset|file> [--dry-run] [--replace]  apply a preset (dealer, b2b-supply, accessories, freight, lab) or the company's own YAML
  config export [--out <file>]        write the configuration in force as YAML that seed takes back
  demo [--preset dealer]              offline scripted run on an in-memory database
  parse-replies --now <ISO> [--tz Z]  carrier replies (JSON lines on stdin) to offers (JSON lines on stdout)
  parse-when --now <ISO> [--tz Z]     dates and times in phrases (JSON lines on stdin) to instants (JSON lines on stdout)
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

const PARSE_WHEN_USAGE = `usage: chatcrm parse-when --now <ISO datetime> [--tz <zone>]
  reads JSON lines {"id","text"} on stdin, writes {"id","at","explain"} per input on stdout, in order
`;

const adminUsage = async (name: string) => (await import('./commands/admin-commands.ts')).adminCommands[name]!.usage;

/** Each command's usage, loaded only when asked for. */
const usageOf: Record<string, () => Promise<string>> = {
  start: async () => (await import('./commands/start.command.ts')).usage,
  migrate: async () => (await import('./commands/migrate.command.ts')).usage,
  seed: async () => (await import('./commands/seed.command.ts')).seedUsage,
  config: async () => (await import('./commands/config.command.ts')).configUsage,
  demo: async () => (await import('./commands/demo.command.ts')).usage,
  'parse-replies': async () => PARSE_REPLIES_USAGE,
  'parse-when': async () => PARSE_WHEN_USAGE,
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
  if (command === 'parse-when') return (await import('./automation/when/parse-when-command.ts')).runParseWhen(rest, process.stdin, process.stdout, process.stderr);
  let config;
  let envFile: EnvFile | null = null;
  try {
    const environment = readEnvironment();
    envFile = environment.envFile;
    config = parseConfig(environment.env);
  } catch (err) {
    if (err instanceof EnvFileError) {
      process.stderr.write(`chatcrm: ${err.message}\n`);
      return 1;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n${envFile ? `  (read from the environment and ${envFile.path}; the environment wins)\n` : ''}`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger(config);
  processLogger = logger;
  // Node would print an uncaught error with util.inspect: every property, a grammY context's
  // bot token included. It goes through the logger's serializer instead, then the process ends.
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'uncaught exception');
    process.exit(1);
  });
  if (envFile) logger.info({ file: envFile.path, variables: envFile.variables, overriddenByEnvironment: envFile.overridden }, '.env read');
  switch (command) {
    case 'start':
      return (await import('./commands/start.command.ts')).startCommand(rest, config, logger);
    case 'migrate':
      return (await import('./commands/migrate.command.ts')).migrateCommand(rest, config, logger);
    case 'seed':
      return (await import('./commands/seed.command.ts')).seedCommand(rest, config, logger);
    case 'config':
      return (await import('./commands/config.command.ts')).configCommand(rest, config, logger);
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

let processLogger: Logger | undefined;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Another process has the embedded database: one line saying which, not a stack trace.
    if (err instanceof DataDirLockedError) process.stderr.write(`${err.message}\n`);
    // A stack's first line is the message, and a failed query's message holds its parameters.
    else if (processLogger) processLogger.fatal({ err }, 'command failed');
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
