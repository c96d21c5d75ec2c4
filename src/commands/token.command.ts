// chatcrm token: API tokens of a staff member: issue one (shown once, only its hash is kept),
// list them (never the token), revoke one (refused by the API at once).
import { createApiToken, listApiTokens, revokeApiToken } from '../crm/api-tokens.ts';
import { type AdminCommand, cliActor, idArg, isoDay, parseSubcommand, reportRefusal, table } from './admin-command.ts';

export const usage = `usage: chatcrm token <subcommand>
  create --user <id> [--label <text>]   print a new API token for the user (shown once; only its hash is stored)
  list --user <id>                      the user's tokens: id, label, issued, revoked
  revoke <token id>                     the API refuses it from now on
`;

const subs = {
  create: { options: { user: { type: 'string' }, label: { type: 'string' } }, positionals: 0 },
  list: { options: { user: { type: 'string' } }, positionals: 0 },
  revoke: { options: {}, positionals: 1 },
} as const;

type Request = { sub: 'create'; userId: number; label?: string } | { sub: 'list'; userId: number } | { sub: 'revoke'; tokenId: number };

export const tokenCommand: AdminCommand<Request> = {
  usage,
  parse(args) {
    const p = parseSubcommand(args, subs);
    if (p.sub === 'revoke') return { sub: 'revoke', tokenId: idArg(p.positionals[0], 'the token id') };
    const userId = idArg(p.values.user, '--user');
    if (p.sub === 'list') return { sub: 'list', userId };
    return { sub: 'create', userId, ...(typeof p.values.label === 'string' ? { label: p.values.label } : {}) };
  },
  async run(req, { db, io, logger }) {
    try {
      switch (req.sub) {
        case 'create': {
          const { token, id } = await createApiToken(db, cliActor, req.userId, req.label);
          logger.info({ userId: req.userId, tokenId: id }, 'api token created');
          io.out.write(`${token}\n`);
          return 0;
        }
        case 'list': {
          const tokens = await listApiTokens(db, cliActor, req.userId);
          const rows = tokens.map((k) => [String(k.id), k.label ?? '-', isoDay(k.createdAt), k.revokedAt ? `revoked ${isoDay(k.revokedAt)}` : 'active']);
          io.out.write(tokens.length ? table(['id', 'label', 'issued', 'status'], rows) : `user ${req.userId} has no API tokens\n`);
          return 0;
        }
        case 'revoke': {
          const r = await revokeApiToken(db, cliActor, req.tokenId);
          logger.info({ tokenId: req.tokenId, userId: r.token.userId }, r.alreadyRevoked ? 'api token already revoked' : 'api token revoked');
          io.out.write(r.alreadyRevoked ? `token ${req.tokenId} was revoked already (${r.token.revokedAt?.toISOString()})\n` : `token ${req.tokenId} of user ${r.token.userId} revoked\n`);
          return 0;
        }
      }
    } catch (err) {
      // The wording the CLI always had for an unknown user.
      return reportRefusal(err, io);
    }
  },
};
