// A webhook answers once its update is stored, not once it is handled: the route registers
// the update here and the inbox middleware says when the store committed (or failed).
import type { Update } from 'grammy/types';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

const waiters = new WeakMap<Update, Waiter>();

/** Resolves when the inbox stored the update (or found nothing to store); rejects when it could not. */
export function storedSignal(update: Update): Promise<void> {
  return new Promise<void>((resolve, reject) => waiters.set(update, { resolve, reject }));
}

export function signalStored(update: Update, err?: unknown): void {
  const w = waiters.get(update);
  if (!w) return;
  waiters.delete(update);
  if (err === undefined) w.resolve();
  else w.reject(err);
}
