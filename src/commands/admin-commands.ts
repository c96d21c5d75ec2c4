// The admin commands, run from the CLI: arguments are checked first (a usage error touches
// nothing); then on the embedded database, a running app is asked to run it (see
// admin-socket.ts), and only when none answers is the folder opened here.
import type { Logger } from 'pino';
import type { DbHandle } from '../../db/client.ts';
import { DataDirLockedError } from '../../db/data-dir-lock.ts';
import type { Config } from '../config.ts';
import { type AdminCommand, type AdminDeps, type CommandIo, processIo } from './admin-command.ts';
import { type AdminSocket, forwardToApp, serveAdminCommands } from './admin-socket.ts';
import { UsageError, withMigratedDb } from './args.ts';
import { inviteCommand } from './invite.command.ts';
import { tokenCommand } from './token.command.ts';
import { usersCommand } from './users.command.ts';

export const adminCommands: Record<string, AdminCommand<never>> = {
  users: usersCommand as AdminCommand<never>,
  token: tokenCommand as AdminCommand<never>,
  invite: inviteCommand as AdminCommand<never>,
};

/** Parses, or prints the problem and the usage and answers 2. */
function parsed(command: AdminCommand<never>, args: string[], io: CommandIo): { ok: true; request: never } | { ok: false } {
  try {
    return { ok: true, request: command.parse(args) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err.write(`${err.message}\n${command.usage}`);
    return { ok: false };
  }
}

/** `argv` = [command, ...args], as the running app gets it from the socket. */
export async function runAdminArgv(argv: string[], deps: AdminDeps): Promise<number> {
  const [name, ...args] = argv;
  const command = name !== undefined && Object.hasOwn(adminCommands, name) ? adminCommands[name]! : null;
  if (!command) {
    deps.io.err.write(`not an admin command: "${name ?? ''}" (${Object.keys(adminCommands).join(', ')})\n`);
    return 2;
  }
  const p = parsed(command, args, deps.io);
  if (!p.ok) return 2;
  try {
    return await command.run(p.request, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.io.err.write(`${err.message}\n${command.usage}`);
      return 2;
    }
    throw err;
  }
}

/** `chatcrm <name> ...` from a terminal. */
export async function adminCommandMain(name: string, args: string[], config: Config, logger: Logger, io: CommandIo = processIo): Promise<number> {
  const command = adminCommands[name]!;
  if (!parsed(command, args, io).ok) return 2;
  const here = () => withMigratedDb(config, (db) => runAdminArgv([name, ...args], { db, io, logger }));
  if (config.DATABASE_URL) return here();
  // A chatcrm start still starting holds the folder before it listens: it is waited for a little.
  const deadline = Date.now() + START_WAIT_MS;
  for (let told = false; ; ) {
    const forwarded = await forwardToApp(config.DATA_DIR, [name, ...args], io);
    if (forwarded !== null) return forwarded;
    try {
      return await here();
    } catch (err) {
      if (!(err instanceof DataDirLockedError) || err.owner.command !== 'start' || Date.now() > deadline) throw err;
      if (!told) io.err.write(`waiting for chatcrm start (pid ${err.owner.pid}) to finish starting…\n`);
      told = true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const START_WAIT_MS = 30_000;

/** In `chatcrm start` on an embedded folder: the admin commands' socket; null on Postgres or in memory. */
export async function serveAdminCommandsIfEmbedded(opts: { config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>; dbHandle: DbHandle; logger: Logger }): Promise<AdminSocket | null> {
  if (opts.dbHandle.kind !== 'pglite' || opts.config.DATA_DIR.startsWith('memory://')) return null;
  return serveAdminCommands({ db: opts.dbHandle.db, dataDir: opts.config.DATA_DIR, logger: opts.logger, run: runAdminArgv });
}
