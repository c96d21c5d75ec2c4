// Which inbound update the bot is handling: outbox keys of the replies it sends are derived
// from it, so handling the same update again never sends the same reply twice. The inbox
// middleware puts it on ctx.crm; the update's Api sends under it (see outbox-fetch.ts).

export interface UpdateScope {
  channel: 'telegram' | 'whatsapp';
  account: string;
  externalId: string;
  inboundId: number;
  contactIdentityId: number | null;
  /**
   * Earlier runs of this update that failed. A run after a crash sends under the same keys
   * (whatever went out already is not sent again); a run after a recorded failure took another
   * path (the error text went out), so its replies get keys of their own.
   */
  failedRuns: number;
  seq: number;
}

export function nextOutboxKey(scope: UpdateScope): string {
  scope.seq += 1;
  const run = scope.failedRuns > 0 ? `r${scope.failedRuns}:` : '';
  return `${scope.channel}:${scope.account}:in:${scope.externalId}:${run}${scope.seq}`;
}
