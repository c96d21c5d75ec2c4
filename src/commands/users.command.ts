// chatcrm users: the staff list, adding people, changing who they are, deactivating someone
// who left (his open records listed, and handed over) and giving access back.
import { languages, userRoles } from '../../db/schema/index.ts';
import { handOverRecords, type OpenRecordKind, openRecordKinds, type OpenRecords, openRecordsOf } from '../crm/open-records.ts';
import { deactivateUser, reactivateUser } from '../crm/staff-lifecycle.ts';
import { createUser, getUser, listStaff, updateUser, type UserPatch } from '../crm/users.ts';
import { type AdminCommand, type AdminDeps, cliActor, idArg, isoDay, parseSubcommand, reportRefusal, table } from './admin-command.ts';
import { UsageError } from './args.ts';

export const usage = `usage: chatcrm users <subcommand>
  list [--active | --inactive]                 staff: roles, status, linked Telegram/WhatsApp, supervisor
  show <id>                                     one person, with the open records he holds
  add --name <name> --role <${userRoles.join('|')}>[,...] [--supervisor <id>] [--department <d>] [--language ${languages.join('|')}] [--whatsapp <phone>]
  update <id> [--name <name>] [--role <r>[,...]] [--supervisor <id>|none] [--department <d>|none] [--language ${languages.join('|')}] [--whatsapp <phone>|none] [--unlink-telegram]
  deactivate <id> [--handover-to <id>]          he left: API tokens revoked, bot conversations ended, no new leads or notices; his open records listed (and handed over)
  reactivate <id>                               access back (API tokens stay revoked)
  handover <id> --to <id> [--only lead:12,deal:5,...]   his open records (or those listed) to another person
`;

const str = { type: 'string' } as const;
const flag = { type: 'boolean' } as const;
const subs = {
  list: { options: { active: flag, inactive: flag }, positionals: 0 },
  show: { options: {}, positionals: 1 },
  add: { options: { name: str, role: str, supervisor: str, department: str, language: str, whatsapp: str }, positionals: 0 },
  update: { options: { name: str, role: str, supervisor: str, department: str, language: str, whatsapp: str, 'unlink-telegram': flag }, positionals: 1 },
  deactivate: { options: { 'handover-to': str }, positionals: 1 },
  reactivate: { options: {}, positionals: 1 },
  handover: { options: { to: str, only: str }, positionals: 1 },
};

type Parsed = ReturnType<typeof parseSubcommand<typeof subs>>;
type Request = Parsed & { id: number | null };

const rolesOf = (v: string | boolean | undefined) => (typeof v === 'string' ? v.split(',').map((r) => r.trim()).filter(Boolean) : undefined);
const noneOr = (v: string | boolean | undefined) => (typeof v !== 'string' ? undefined : v.trim().toLowerCase() === 'none' ? null : v);

function parseOnly(value: string | boolean | undefined): { kind: OpenRecordKind; id: number }[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((part) => {
    const m = /^\s*([a-z]+):(\d{1,15})\s*$/.exec(part);
    if (!m || !(openRecordKinds as readonly string[]).includes(m[1]!)) throw new UsageError(`--only: "${part}" is not <${openRecordKinds.join('|')}>:<id>`);
    return { kind: m[1] as OpenRecordKind, id: Number(m[2]) };
  });
}

export const usersCommand: AdminCommand<Request> = {
  usage,
  parse(args) {
    const p = parseSubcommand(args, subs);
    const v = p.values;
    if (p.sub === 'list' && v.active && v.inactive) throw new UsageError('--active and --inactive exclude each other');
    if (p.sub === 'add' && (!v.name || !v.role)) throw new UsageError('add needs --name and --role');
    if (p.sub === 'handover') {
      idArg(v.to, '--to');
      parseOnly(v.only);
    }
    if (v['handover-to'] !== undefined) idArg(v['handover-to'], '--handover-to');
    if (typeof v.supervisor === 'string' && noneOr(v.supervisor) !== null) idArg(v.supervisor, '--supervisor');
    return { ...p, id: p.positionals[0] === undefined ? null : idArg(p.positionals[0], 'the user id') };
  },
  async run(req, deps) {
    const v = req.values;
    const labels = { supervisorId: `supervisor ${String(v.supervisor ?? '')}`, toUserId: `user ${String(v.to ?? v['handover-to'] ?? '')}`, whatsappPhone: 'whatsapp', 'roles.0': 'roles.0' };
    try {
      return await subcommand(req, deps);
    } catch (err) {
      return reportRefusal(err, deps.io, labels);
    }
  },
};

async function subcommand(req: Request, deps: AdminDeps): Promise<number> {
  const { db, io, logger } = deps;
  const v = req.values;
  const id = req.id!;
  switch (req.sub) {
    case 'list': {
      const staff = await listStaff(db, cliActor, v.active ? { active: true } : v.inactive ? { active: false } : {});
      const rows = staff.map((e) => [
        String(e.user.id),
        e.user.name,
        e.user.roles.join(','),
        e.user.isActive ? 'active' : `deactivated ${isoDay(e.user.deactivatedAt)}`.trim(),
        e.telegramLinked ? 'linked' : '-',
        e.user.whatsappPhone ?? '-',
        e.user.supervisorId === null ? '-' : `${e.user.supervisorId} ${e.supervisorName ?? ''}`.trim(),
        e.user.department ?? '-',
        e.user.language,
      ]);
      io.out.write(staff.length ? table(['id', 'name', 'roles', 'status', 'telegram', 'whatsapp', 'supervisor', 'department', 'lang'], rows) : 'no staff yet: chatcrm users add --name <name> --role <role>\n');
      return 0;
    }
    case 'show': {
      const user = await getUser(db, cliActor, id);
      const boss = user.supervisorId === null ? null : await getUser(db, cliActor, user.supervisorId).catch(() => null);
      io.out.write(
        [
          `user ${user.id}: ${user.name}`,
          `roles: ${user.roles.join(', ')}`,
          `status: ${user.isActive ? 'active' : `deactivated${user.deactivatedAt ? ` since ${user.deactivatedAt.toISOString()}` : ''}`}`,
          `supervisor: ${boss ? `${boss.id} (${boss.name})` : '-'}`,
          `department: ${user.department ?? '-'}`,
          `language: ${user.language}`,
          `telegram: ${user.telegramUserId === null ? 'not linked' : 'linked'}`,
          `whatsapp: ${user.whatsappPhone ?? '-'}`,
          '',
        ].join('\n'),
      );
      writeOpenRecords(io, await openRecordsOf(db, cliActor, id), id);
      return 0;
    }
    case 'add': {
      const user = await createUser(db, cliActor, {
        name: String(v.name),
        roles: rolesOf(v.role) as never,
        supervisorId: v.supervisor === undefined ? null : Number(v.supervisor),
        department: typeof v.department === 'string' ? v.department : null,
        ...(v.language !== undefined ? { language: v.language as never } : {}),
        ...(typeof v.whatsapp === 'string' ? { whatsappPhone: v.whatsapp } : {}),
      });
      logger.info({ userId: user.id }, 'user created');
      io.out.write(`user ${user.id}: ${user.name} (${user.roles.join(', ')})\n`);
      return 0;
    }
    case 'update': {
      const patch: UserPatch = {};
      if (v.name !== undefined) patch.name = String(v.name);
      if (v.role !== undefined) patch.roles = rolesOf(v.role) as never;
      if (v.supervisor !== undefined) patch.supervisorId = noneOr(v.supervisor) === null ? null : Number(v.supervisor);
      if (v.department !== undefined) patch.department = noneOr(v.department) ?? null;
      if (v.language !== undefined) patch.language = v.language as never;
      if (v.whatsapp !== undefined) patch.whatsappPhone = noneOr(v.whatsapp) ?? null;
      if (v['unlink-telegram']) patch.telegramUserId = null;
      if (Object.keys(patch).length === 0) throw new UsageError('update: say what to change (--name, --role, --supervisor, --department, --language, --whatsapp, --unlink-telegram)');
      const user = await updateUser(db, cliActor, id, patch);
      logger.info({ userId: id, fields: Object.keys(patch) }, 'user updated');
      io.out.write(`user ${user.id}: ${user.name} (${user.roles.join(', ')})${user.isActive ? '' : ' [deactivated]'}\n`);
      return 0;
    }
    case 'deactivate': {
      const r = await deactivateUser(db, cliActor, id);
      logger.info({ userId: id, revokedTokens: r.revokedTokens, endedSessions: r.endedSessions }, r.alreadyInactive ? 'user already inactive' : 'user deactivated');
      io.out.write(
        r.alreadyInactive
          ? `user ${id} (${r.user.name}) was deactivated already\n`
          : `user ${id} (${r.user.name}) deactivated: API tokens revoked: ${r.revokedTokens}, bot conversations ended: ${r.endedSessions}, unused invite codes dropped: ${r.droppedInvites}\n`,
      );
      if (v['handover-to'] === undefined) {
        writeOpenRecords(io, r.openRecords, id);
        return 0;
      }
      return handOver(deps, id, Number(v['handover-to']), undefined);
    }
    case 'reactivate': {
      const r = await reactivateUser(db, cliActor, id);
      logger.info({ userId: id }, r.alreadyActive ? 'user already active' : 'user reactivated');
      io.out.write(r.alreadyActive ? `user ${id} (${r.user.name}) is active already\n` : `user ${id} (${r.user.name}) is active again; his API tokens stay revoked: chatcrm token create --user ${id}\n`);
      return 0;
    }
    case 'handover':
      return handOver(deps, id, Number(v.to), parseOnly(v.only));
  }
  throw new UsageError(`unknown subcommand "${String(req.sub)}"`);
}

async function handOver(deps: AdminDeps, from: number, to: number, only: { kind: OpenRecordKind; id: number }[] | undefined): Promise<number> {
  const r = await handOverRecords(deps.db, cliActor, from, to, only);
  const receiver = await getUser(deps.db, cliActor, to);
  deps.logger.info({ from, to, moved: r.moved.length, skipped: r.skipped.length }, 'records handed over');
  deps.io.out.write(`handed over to user ${to} (${receiver.name}): ${r.moved.length} record(s)\n${r.moved.map((m) => `  ${m.kind} ${m.id}: ${m.title}\n`).join('')}`);
  if (r.skipped.length) deps.io.out.write(`not his or not open, left as they are: ${r.skipped.map((s) => `${s.kind}:${s.id}`).join(', ')}\n`);
  return 0;
}

function writeOpenRecords(io: AdminDeps['io'], open: OpenRecords, userId: number): void {
  if (open.total === 0) {
    io.out.write('open records: none\n');
    return;
  }
  io.out.write(`open records to hand over (${open.total}):\n`);
  for (const kind of openRecordKinds) for (const r of open[kind]) io.out.write(`  ${kind} ${r.id}: ${r.title}\n`);
  io.out.write(`hand them over: chatcrm users handover ${userId} --to <id> [--only lead:<id>,deal:<id>,...]\n`);
}
