// chatcrm <command>: the process entry for people and scripts. Each command lives in
// src/commands/ and returns an exit code.
import { ConfigError, EnvFileError, parseConfig, readEnvironment, type EnvFile } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

const usage = `usage: chatcrm <command> [options]

  start [--role all|web|worker|bot]   run the system (migrations applied first)
  migrate                             apply pending database migrations
  seed <preset|file> [--dry-run] [--replace]  apply a preset (dealer, b2b-supply, accessories, freight, lab) or the company's own YAML
  config export [--out <file>]        write the configuration in force as YAML that seed takes back
  demo                                offline scripted run on an in-memory database
  parse-replies --now <ISO> [--tz Z]  carrier replies (JSON lines on stdin) to offers (JSON lines on stdout)
  parse-when --now <ISO> [--tz Z]     dates and times in phrases (JSON lines on stdin) to instants (JSON lines on stdout)
  users add --name <n> --role <r>[,<r>] [--supervisor <id>] [--department <d>] [--language ru|en]
  token create --user <id> [--label <text>]
  invite create --user <id>           one-time code a staff member sends to the bot as /start <code>
  whatsapp login [--timeout <s>]      link WhatsApp Web (Baileys): shows the QR to scan, default 120 s
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command ? 0 : 2;
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
      return (await import('./commands/migrate.command.ts')).migrateCommand(config, logger);
    case 'seed':
      return (await import('./commands/seed.command.ts')).seedCommand(rest, config, logger);
    case 'config':
      return (await import('./commands/config.command.ts')).configCommand(rest, config, logger);
    case 'demo':
      return (await import('./commands/demo.command.ts')).demoCommand(config, logger);
    case 'users':
      return (await import('./commands/users.command.ts')).usersCommand(rest, config, logger);
    case 'invite':
      return (await import('./commands/invite.command.ts')).inviteCommand(rest, config, logger);
    case 'token':
      return (await import('./commands/token.command.ts')).tokenCommand(rest, config, logger);
    case 'whatsapp':
      return (await import('./commands/whatsapp.command.ts')).whatsappCommand(rest, config, logger);
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

let processLogger: Logger | undefined;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A stack's first line is the message, and a failed query's message holds its parameters.
    if (processLogger) processLogger.fatal({ err }, 'command failed');
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
