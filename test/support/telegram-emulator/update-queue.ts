// One bot's pending updates and the two ways Telegram hands them out: getUpdates (long
// polling, confirmed by `offset`) and a webhook (POSTed one at a time, in order, retried
// with backoff until the endpoint answers 2xx). An update stays pending until confirmed
// by either path, so a lost getUpdates answer or a failed webhook never loses it.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { botApiErrors } from './errors.ts';
import { DEFAULT_ALLOWED_UPDATES_EXCLUDED, updateKind, type Update, type WebhookInfo } from './types.ts';

export interface WebhookRetryOptions {
  /** First redelivery delay after a failed POST; doubled on each further failure. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long a webhook POST may take before it counts as failed. */
  timeoutMs?: number;
}

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  allowedUpdates: string[];
}

export interface WebhookDelivery {
  updateId: number;
  url: string;
  /** The endpoint's HTTP status; 0 while the POST is in flight and when it failed without one (see `error`). */
  status: number;
  /** false while the POST is in flight. */
  done: boolean;
  /** The secret header sent, null when no secret_token was set. */
  secretToken: string | null;
  error?: string;
  at: number;
}

export interface GetUpdatesRequest {
  offset?: number;
  limit?: number;
  timeoutSeconds?: number;
  allowedUpdates?: string[];
}

interface Entry {
  update: Update;
  /** Put back by `redeliver`: survives one confirmation by offset, since its id is below it. */
  redelivery: boolean;
  returned: boolean;
}

interface Poller {
  limit: number;
  resolve: (updates: Update[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Telegram holds a long poll for at most 50 seconds whatever `timeout` asks for. */
const MAX_POLL_SECONDS = 50;

export class UpdateQueue {
  private entries: Entry[] = [];
  private readonly history = new Map<number, Update>();
  private nextUpdateId = 1;
  private poller: Poller | null = null;
  private allowedUpdates: string[] = [];
  private hook: WebhookConfig | null = null;
  private lastError: { date: number; message: string } | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private inFlight: AbortController | null = null;
  private stopped = false;
  readonly deliveries: WebhookDelivery[] = [];

  constructor(
    private readonly retry: Required<WebhookRetryOptions>,
    private readonly now: () => number,
    /** Runs a method call returned in a webhook answer's body, as Telegram does. */
    private readonly onWebhookReply: (method: string, params: Record<string, unknown>) => Promise<void>,
  ) {}

  get webhook(): WebhookConfig | null {
    return this.hook;
  }

  get pendingCount(): number {
    return this.entries.length;
  }

  /** Assigns the next update_id and queues the update. */
  push(partial: Omit<Update, 'update_id'>): Update {
    const update = { update_id: this.nextUpdateId++, ...partial } as Update;
    this.history.set(update.update_id, update);
    this.insert({ update, redelivery: false, returned: false });
    return update;
  }

  /** Queues the update once more with its original update_id, as a repeated delivery looks to the bot. */
  redeliver(updateId: number): Update {
    const update = this.history.get(updateId);
    if (!update) throw new Error(`TelegramEmulator: no update ${updateId} was pushed to this bot`);
    this.insert({ update, redelivery: true, returned: false });
    return update;
  }

  findUpdate(updateId: number): Update | undefined {
    return this.history.get(updateId);
  }

  async getUpdates(req: GetUpdatesRequest, onClose: (cb: () => void) => void): Promise<Update[]> {
    if (this.hook) throw botApiErrors.webhookActive();
    if (this.poller) {
      const older = this.poller;
      this.poller = null;
      clearTimeout(older.timer);
      older.reject(botApiErrors.otherGetUpdates());
    }
    if (req.allowedUpdates) this.allowedUpdates = req.allowedUpdates;
    this.confirm(req.offset ?? 0);
    const limit = Math.min(100, Math.max(1, req.limit ?? 100));
    const ready = this.take(limit);
    const timeoutMs = Math.min(MAX_POLL_SECONDS, Math.max(0, req.timeoutSeconds ?? 0)) * 1000;
    if (ready.length > 0 || timeoutMs === 0 || this.stopped) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = {
        limit,
        resolve,
        reject,
        timer: setTimeout(() => this.finishPoll(poller, []), timeoutMs),
      };
      this.poller = poller;
      onClose(() => this.finishPoll(poller, []));
    });
  }

  setWebhook(config: WebhookConfig, dropPending: boolean): 'set' | 'already set' {
    const same = this.hook !== null && this.hook.url === config.url && this.hook.secretToken === config.secretToken;
    if (dropPending) this.entries = [];
    this.hook = config;
    if (config.allowedUpdates.length > 0) this.allowedUpdates = config.allowedUpdates;
    this.lastError = null;
    if (this.poller) this.finishPoll(this.poller, []);
    // A delivery waiting out its backoff is tried again at once against the new settings.
    this.wake?.();
    this.kick();
    return same ? 'already set' : 'set';
  }

  deleteWebhook(dropPending: boolean): 'deleted' | 'already deleted' {
    if (dropPending) this.entries = [];
    const had = this.hook !== null;
    this.hook = null;
    this.lastError = null;
    this.inFlight?.abort();
    this.wake?.();
    return had ? 'deleted' : 'already deleted';
  }

  webhookInfo(): WebhookInfo {
    const info: WebhookInfo = { url: this.hook?.url ?? '', has_custom_certificate: false, pending_update_count: this.entries.length };
    if (this.hook) {
      info.ip_address = '127.0.0.1';
      info.max_connections = this.hook.maxConnections;
      if (this.hook.allowedUpdates.length > 0) info.allowed_updates = this.hook.allowedUpdates as WebhookInfo['allowed_updates'];
    }
    if (this.lastError) {
      info.last_error_date = this.lastError.date;
      info.last_error_message = this.lastError.message;
    }
    return info;
  }

  /** Settles when no webhook delivery is in progress: every update accepted, or the webhook gone. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /** Ends a held long poll and webhook deliveries; pending updates stay. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) this.finishPoll(this.poller, []);
    this.inFlight?.abort();
    this.wake?.();
    await this.idle();
  }

  /** Forgets updates and the webhook; update ids keep increasing, as a running bot expects. */
  clear(): void {
    this.entries = [];
    this.history.clear();
    this.deleteWebhook(true);
    this.allowedUpdates = [];
    this.deliveries.length = 0;
  }

  // ---- internals ---------------------------------------------------------------------------

  private insert(entry: Entry): void {
    // Sorted by id, so a repeated update goes out before newer ones and one offset confirms both.
    const i = this.entries.findIndex((e) => e.update.update_id > entry.update.update_id);
    if (i < 0) this.entries.push(entry);
    else this.entries.splice(i, 0, entry);
    if (this.poller) {
      const ready = this.take(this.poller.limit);
      if (ready.length > 0) this.finishPoll(this.poller, ready);
    }
    this.kick();
  }

  private confirm(offset: number): void {
    if (offset > 0) this.entries = this.entries.filter((e) => e.update.update_id >= offset || (e.redelivery && !e.returned));
    else if (offset < 0) this.entries = this.entries.slice(offset);
  }

  private allowed(update: Update): boolean {
    const kind = updateKind(update);
    if (kind === undefined) return false;
    if (this.allowedUpdates.length > 0) return this.allowedUpdates.includes(kind);
    return !(DEFAULT_ALLOWED_UPDATES_EXCLUDED as readonly string[]).includes(kind);
  }

  /** Up to `limit` deliverable updates, oldest first; kinds the bot did not ask for are dropped, as Telegram drops them. */
  private take(limit: number): Update[] {
    this.entries = this.entries.filter((e) => this.allowed(e.update));
    const batch = this.entries.slice(0, limit);
    for (const e of batch) e.returned = true;
    return batch.map((e) => e.update);
  }

  private finishPoll(poller: Poller, updates: Update[]): void {
    if (this.poller !== poller) return;
    this.poller = null;
    clearTimeout(poller.timer);
    poller.resolve(updates);
  }

  private kick(): void {
    if (!this.hook || this.loop || this.stopped || this.entries.length === 0) return;
    this.loop = this.deliverAll().finally(() => {
      this.loop = null;
      this.kick();
    });
  }

  private async deliverAll(): Promise<void> {
    let failures = 0;
    for (;;) {
      const hook = this.hook;
      if (!hook || this.stopped) return;
      this.entries = this.entries.filter((e) => this.allowed(e.update));
      const entry = this.entries[0];
      if (!entry) return;
      const outcome = await this.post(hook, entry.update);
      if (this.hook !== hook || this.stopped) continue;
      if (outcome.ok) {
        failures = 0;
        this.entries = this.entries.filter((e) => e !== entry);
        if (outcome.reply) await this.onWebhookReply(outcome.reply.method, outcome.reply.params).catch(() => undefined);
        continue;
      }
      failures += 1;
      this.lastError = { date: Math.floor(this.now() / 1000), message: outcome.error };
      await this.sleep(Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** (failures - 1)));
    }
  }

  private async post(
    hook: WebhookConfig,
    update: Update,
  ): Promise<{ ok: true; reply?: { method: string; params: Record<string, unknown> } } | { ok: false; error: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = hook.secretToken;
    const delivery: WebhookDelivery = { updateId: update.update_id, url: hook.url, status: 0, done: false, secretToken: hook.secretToken ?? null, at: this.now() };
    this.deliveries.push(delivery);
    const ac = new AbortController();
    this.inFlight = ac;
    try {
      const res = await postJson(hook.url, headers, JSON.stringify(update), this.retry.timeoutMs, ac.signal);
      delivery.status = res.status;
      if (res.status < 200 || res.status > 299) {
        delivery.error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
        return { ok: false, error: delivery.error };
      }
      return { ok: true, ...webhookReply(res.contentType, res.body) };
    } catch (err) {
      delivery.error = err instanceof WebhookTimeout ? 'Read timeout expired' : `Connection refused (${(err as Error).message})`;
      return { ok: false, error: delivery.error };
    } finally {
      delivery.done = true;
      if (this.inFlight === ac) this.inFlight = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

class WebhookTimeout extends Error {
  override readonly name = 'WebhookTimeout';
}

/**
 * One POST on a fresh connection that is closed afterwards (no pooled keep-alive socket),
 * so the app under test can close its server as soon as the delivery is answered.
 */
function postJson(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status: number; statusText: string; contentType: string | null; body: string }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' }, agent: false, signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            contentType: res.headers['content-type'] ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new WebhookTimeout('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** A webhook answer may carry one Bot API call, e.g. `{"method":"sendMessage",...}`. */
function webhookReply(contentType: string | null, body: string): { reply?: { method: string; params: Record<string, unknown> } } {
  if (!contentType?.includes('application/json') || body.length === 0) return {};
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { method, ...params } = parsed as Record<string, unknown>;
    return typeof method === 'string' ? { reply: { method, params } } : {};
  } catch {
    return {};
  }
}
