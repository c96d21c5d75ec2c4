// Which inbound update the current code is handling: outbox keys of the replies it sends are
// derived from it, so handling the same update again never sends the same reply twice.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpdateScope {
  channel: 'telegram' | 'whatsapp';
  account: string;
  externalId: string;
  inboundId: number;
  contactIdentityId: number | null;
  seq: number;
}

export const updateScope = new AsyncLocalStorage<UpdateScope>();

export function nextOutboxKey(scope: UpdateScope): string {
  scope.seq += 1;
  return `${scope.channel}:${scope.account}:in:${scope.externalId}:${scope.seq}`;
}
