// A local stand-in for Meta's WhatsApp Cloud API (the Graph API messaging endpoints) and for
// the customer's side of the conversation. The app under test talks to it exactly as it
// talks to graph.facebook.com (point WHATSAPP_CLOUD_API_ROOT at `apiRoot`), and receives
// webhooks from it exactly as Meta sends them: same JSON, same signature header.
//
// Reproduced: bearer-token auth (190), body validation with Meta's documented limits
// (100 / 131009), per-number throughput (130429), undeliverable recipients (131026, as a
// `failed` status webhook by default, as Meta does, or synchronously), approved templates
// (132001), the 24-hour customer service window (131047, opt-in), media upload / metadata /
// authenticated download, signed webhooks with redelivery, the verification handshake.
// Not reproduced: pair rate limits (131056), messaging tiers, quality ratings, media size and
// type limits, media URL expiry, Meta's automatic webhook retries (use `redeliver`),
// business-scoped user ids, groups, flows, catalogs; throughput counts outbound sends only.
// An unknown media id is refused at once (Meta may accept it and fail later with 131053).
// 130429 comes as HTTP 429 by default (`rateLimitStatus`); apps should key on the code.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GraphErrorCode, graphErrors, statusError, type GraphErrorResponse } from './whatsapp-cloud-emulator/graph-errors.ts';
import { validateMessage, type CloudMessageType, type ValidatedMessage } from './whatsapp-cloud-emulator/validate-message.ts';
import {
  hubSignature1,
  hubSignature256,
  wrapValue,
  type CloudStatus,
  type InboundCloudMessage,
  type StatusUpdate,
  type WebhookPayload,
  type WebhookValue,
} from './whatsapp-cloud-emulator/webhook-payloads.ts';

export { GraphErrorCode, type GraphErrorBody } from './whatsapp-cloud-emulator/graph-errors.ts';
export type { CloudMessageType } from './whatsapp-cloud-emulator/validate-message.ts';
export { hubSignature256 } from './whatsapp-cloud-emulator/webhook-payloads.ts';
export type { CloudStatus, InboundCloudMessage, StatusUpdate, WebhookPayload } from './whatsapp-cloud-emulator/webhook-payloads.ts';

export interface WhatsAppCloudEmulatorOptions {
  /** The system user access token the app must send as `Authorization: Bearer`. */
  token?: string;
  phoneNumberId?: string;
  /** Digits only, as Meta puts it in webhook metadata. */
  displayPhoneNumber?: string;
  wabaId?: string;
  /** The app secret webhooks are signed with. */
  appSecret?: string;
  /** The app's webhook endpoint; can also be set later with `setWebhook`. */
  webhookUrl?: string;
  apiVersion?: string;
  /** Messages per second for this number; Meta's default is 80. */
  throughputPerSecond?: number;
  /** HTTP status of a 130429 answer. The code in the body is what identifies it. */
  rateLimitStatus?: number;
  /** When given, only these templates can be sent (others answer 132001). */
  approvedTemplates?: { name: string; language: string }[];
  /** Fail free-form messages to customers who have not written in the last 24 hours (131047). */
  enforceServiceWindow?: boolean;
  /** Milliseconds since the epoch; lets tests move webhook timestamps and the service window. */
  now?: () => number;
  /** Delay before the emulator posts a status webhook on its own (a `failed` send). */
  statusDelayMs?: number;
}

export interface GraphCall {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  /** Parsed JSON, or for multipart uploads the form fields with the file summarised. */
  body: unknown;
  /** 0 when the emulator dropped the connection instead of answering. */
  status: number;
  response: unknown;
  at: number;
}

export interface CloudSentMessage {
  wamid: string;
  to: string;
  waId: string;
  type: CloudMessageType;
  /** Text body, caption, interactive body, template name or reaction emoji. */
  text: string | null;
  /** The request body exactly as the app sent it. */
  body: Record<string, unknown>;
  choices?: ValidatedMessage['choices'];
  at: number;
  statuses: CloudStatus[];
  /** The error code of a `failed` status, if the message failed. */
  failedWith?: number;
}

export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  fileName?: string;
  from: 'business' | 'customer';
}

export type SignMode = 'valid' | 'wrong-secret' | 'missing';

export interface WebhookRecord {
  payloadId: string;
  kind: 'message' | 'status';
  /** The exact bytes POSTed (and signed). */
  rawBody: string;
  payload: WebhookPayload;
  deliveries: WebhookDelivery[];
}

export interface WebhookDelivery {
  payloadId: string;
  /** The app's HTTP status; 0 when it could not be reached. */
  status: number;
  body: string;
  error?: string;
  signature: string | null;
}

export interface InboundResult extends WebhookDelivery {
  wamid: string;
}

export interface CustomerBase {
  /** The customer's phone, digits only (their wa_id). */
  from: string;
  /** Profile name, shown in `contacts[].profile.name`. */
  name?: string;
  sign?: SignMode;
}

const VERSION_RE = /^v\d+\.\d+$/;

export class WhatsAppCloudEmulator {
  readonly token: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly wabaId: string;
  readonly apiVersion: string;
  appSecret: string;
  webhookUrl: string | null;

  readonly calls: GraphCall[] = [];
  readonly webhooks: WebhookRecord[] = [];
  readonly media = new Map<string, StoredMedia>();

  private sent: CloudSentMessage[] = [];
  private consumed = new Set<string>();
  private waiters: { match: (m: CloudSentMessage) => boolean; resolve: (m: CloudSentMessage) => void }[] = [];
  private throughput: number;
  private readonly rateLimitStatus: number;
  private recentSends: number[] = [];
  private undeliverable = new Map<string, 'webhook' | 'response'>();
  private failures: ('500' | '503' | 'network')[] = [];
  private lastInbound = new Map<string, number>();
  private readonly approvedTemplates: { name: string; language: string }[] | null;
  private readonly enforceServiceWindow: boolean;
  private readonly now: () => number;
  private readonly statusDelayMs: number;
  private pendingWebhooks = new Set<Promise<unknown>>();
  private server: Server | null = null;
  private baseUrl = '';
  private readonly app: Hono;

  constructor(opts: WhatsAppCloudEmulatorOptions = {}) {
    this.token = opts.token ?? 'test-cloud-token';
    this.phoneNumberId = opts.phoneNumberId ?? '100000000000001';
    this.displayPhoneNumber = opts.displayPhoneNumber ?? '79990000000';
    this.wabaId = opts.wabaId ?? '200000000000002';
    this.apiVersion = opts.apiVersion ?? 'v21.0';
    this.appSecret = opts.appSecret ?? 'test-app-secret';
    this.webhookUrl = opts.webhookUrl ?? null;
    this.throughput = opts.throughputPerSecond ?? 80;
    this.rateLimitStatus = opts.rateLimitStatus ?? 429;
    this.approvedTemplates = opts.approvedTemplates ?? null;
    this.enforceServiceWindow = opts.enforceServiceWindow ?? false;
    this.now = opts.now ?? Date.now;
    this.statusDelayMs = opts.statusDelayMs ?? 50;
    this.app = this.buildApp();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  async start(): Promise<{ apiRoot: string; baseUrl: string; port: number }> {
    if (this.server) throw new Error('WhatsAppCloudEmulator already started');
    const hono = getRequestListener(this.app.fetch);
    const server = createServer((req, res) => {
      const failure = this.failures.shift();
      if (failure === undefined) return void hono(req, res);
      this.injectFailure(failure, req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    return { apiRoot: `${this.baseUrl}/${this.apiVersion}`, baseUrl: this.baseUrl, port };
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.pendingWebhooks]);
    const server = this.server;
    this.server = null;
    if (!server) return;
    // Clients keep connections alive; without this close() waits for them to time out.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets everything that happened; keeps the configuration (token, webhook, secret). */
  reset(): void {
    this.calls.length = 0;
    this.webhooks.length = 0;
    this.media.clear();
    this.sent = [];
    this.consumed.clear();
    this.recentSends = [];
    this.undeliverable.clear();
    this.failures = [];
    this.lastInbound.clear();
  }

  get apiRoot(): string {
    if (!this.baseUrl) throw new Error('WhatsAppCloudEmulator not started');
    return `${this.baseUrl}/${this.apiVersion}`;
  }

  // ---- configuration and fault injection ---------------------------------------------------

  setWebhook(url: string, appSecret?: string): void {
    this.webhookUrl = url;
    if (appSecret !== undefined) this.appSecret = appSecret;
  }

  setThroughput(perSecond: number): void {
    this.throughput = perSecond;
  }

  /**
   * The customer has no WhatsApp account or blocked the business. Meta accepts the send
   * and reports 131026 in a `failed` status webhook (`'webhook'`, the default); `'response'`
   * refuses the request itself with 131026.
   */
  markUndeliverable(phone: string, how: 'webhook' | 'response' = 'webhook'): void {
    this.undeliverable.set(digits(phone), how);
  }

  /** The next `n` requests of any kind fail: HTTP 500 / 503 with a Graph error, or a dropped connection. */
  failNext(n: number, kind: 500 | 503 | 'network' = 500): void {
    for (let i = 0; i < n; i++) this.failures.push(kind === 'network' ? 'network' : kind === 503 ? '503' : '500');
  }

  // ---- what the business sent --------------------------------------------------------------

  sentMessages(to?: string): CloudSentMessage[] {
    return to === undefined ? [...this.sent] : this.sent.filter((m) => m.waId === digits(to));
  }

  /**
   * The earliest message to `to` (matching `pred`) that no earlier `waitForMessage` returned,
   * already sent or arriving within `timeoutMs`. Each message is handed out once, so
   * consecutive waits walk a conversation in order.
   */
  waitForMessage(to: string, pred: (m: CloudSentMessage) => boolean = () => true, timeoutMs = 5000): Promise<CloudSentMessage> {
    const waId = digits(to);
    const match = (m: CloudSentMessage) => m.waId === waId && !this.consumed.has(m.wamid) && pred(m);
    const found = this.sent.find(match);
    if (found) {
      this.consumed.add(found.wamid);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: CloudSentMessage) => {
          clearTimeout(timer);
          this.consumed.add(m.wamid);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const seen = this.sentMessages(to).map((m) => `${m.type}: ${m.text ?? ''}`);
        reject(new Error(`no WhatsApp Cloud message to ${to} within ${timeoutMs} ms; sent to them so far: ${JSON.stringify(seen)}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // ---- the customer's side (webhooks) ------------------------------------------------------

  /** `id` overrides the generated wamid; `timestamp` is milliseconds since the epoch. */
  customerSends(opts: CustomerBase & { text: string; id?: string; timestamp?: number }): Promise<InboundResult> {
    return this.deliverInbound(opts, { type: 'text', text: { body: opts.text } }, opts.id, opts.timestamp);
  }

  /** A swipe-reply: text quoting one of the business's messages. */
  customerReplies(opts: CustomerBase & { text: string; replyTo: string }): Promise<InboundResult> {
    this.requireSent(opts.replyTo);
    return this.deliverInbound(opts, {
      type: 'text',
      text: { body: opts.text },
      context: { from: this.displayPhoneNumber, id: opts.replyTo },
    });
  }

  customerSendsDocument(
    opts: CustomerBase & { bytes: Buffer | Uint8Array | string; filename: string; mimeType?: string; caption?: string },
  ): Promise<InboundResult> {
    const mimeType = opts.mimeType ?? 'application/pdf';
    const m = this.storeMedia(toBuffer(opts.bytes), mimeType, 'customer', opts.filename);
    return this.deliverInbound(opts, {
      type: 'document',
      document: {
        ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
        filename: opts.filename,
        mime_type: mimeType,
        sha256: sha256(m.bytes, 'base64'),
        id: m.id,
      },
    });
  }

  customerSendsImage(opts: CustomerBase & { bytes: Buffer | Uint8Array; mimeType?: string; caption?: string }): Promise<InboundResult> {
    const mimeType = opts.mimeType ?? 'image/jpeg';
    const m = this.storeMedia(toBuffer(opts.bytes), mimeType, 'customer');
    return this.deliverInbound(opts, {
      type: 'image',
      image: {
        ...(opts.caption !== undefined ? { caption: opts.caption } : {}),
        mime_type: mimeType,
        sha256: sha256(m.bytes, 'base64'),
        id: m.id,
      },
    });
  }

  /**
   * Presses a reply button or picks a list row of an interactive message the business sent
   * to this customer (the latest one unless `context` names a wamid). Throws when no such
   * option was offered, since a real customer could not press it either.
   */
  customerPressesButton(opts: CustomerBase & { id?: string; title?: string; context?: string }): Promise<InboundResult> {
    const source = opts.context
      ? this.requireSent(opts.context)
      : [...this.sent].reverse().find((m) => m.waId === digits(opts.from) && m.choices);
    if (!source?.choices) throw new Error(`no interactive message with buttons was sent to ${opts.from}`);
    const option = source.choices.options.find((o) => (opts.id !== undefined ? o.id === opts.id : o.title === opts.title));
    if (!option) {
      throw new Error(
        `message ${source.wamid} offers no option ${JSON.stringify(opts.id ?? opts.title)}; it offers ${JSON.stringify(source.choices.options)}`,
      );
    }
    const interactive: InboundCloudMessage['interactive'] =
      source.choices.kind === 'button'
        ? { type: 'button_reply', button_reply: { id: option.id, title: option.title } }
        : {
            type: 'list_reply',
            list_reply: { id: option.id, title: option.title, ...(option.description ? { description: option.description } : {}) },
          };
    return this.deliverInbound(opts, {
      type: 'interactive',
      interactive,
      context: { from: this.displayPhoneNumber, id: source.wamid },
    });
  }

  /** Posts a status webhook for a message the business sent. */
  async emitStatus(wamid: string, status: CloudStatus, opts: { errorCode?: number; sign?: SignMode } = {}): Promise<WebhookDelivery> {
    const msg = this.requireSent(wamid);
    const rec = this.recordStatus(msg, status, opts.errorCode);
    return this.deliver(rec, opts.sign ?? 'valid');
  }

  /** POSTs a recorded webhook again, byte for byte (as Meta does when it retries). */
  redeliver(payloadId: string, opts: { sign?: SignMode } = {}): Promise<WebhookDelivery> {
    const rec = this.webhooks.find((w) => w.payloadId === payloadId);
    if (!rec) throw new Error(`no webhook payload ${payloadId}`);
    return this.deliver(rec, opts.sign ?? 'valid');
  }

  /** Waits for a webhook the emulator posts by itself (e.g. a `failed` status). */
  async waitForWebhook(pred: (w: WebhookRecord) => boolean, timeoutMs = 5000): Promise<WebhookRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.webhooks.find((w) => pred(w) && w.deliveries.length > 0);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching webhook delivered within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Meta's GET verification handshake against the app's webhook URL: what the app answered. */
  async verifyWebhook(opts: { verifyToken: string; challenge?: string; mode?: string; url?: string }): Promise<{
    status: number;
    body: string;
    challenge: string;
  }> {
    const challenge = opts.challenge ?? String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
    const url = new URL(opts.url ?? this.requireWebhookUrl());
    url.searchParams.set('hub.mode', opts.mode ?? 'subscribe');
    url.searchParams.set('hub.challenge', challenge);
    url.searchParams.set('hub.verify_token', opts.verifyToken);
    const res = await fetch(url, { headers: { 'user-agent': 'facebookplatform/1.0 (+http://developers.facebook.com)' } });
    return { status: res.status, body: await res.text(), challenge };
  }

  // ---- internals: webhooks -----------------------------------------------------------------

  private metadata() {
    return { display_phone_number: this.displayPhoneNumber, phone_number_id: this.phoneNumberId };
  }

  private async deliverInbound(
    who: CustomerBase,
    content: Omit<InboundCloudMessage, 'from' | 'id' | 'timestamp'>,
    id?: string,
    timestamp?: number,
  ): Promise<InboundResult> {
    const from = digits(who.from);
    const wamid = id ?? makeWamid(from);
    const at = timestamp ?? this.now();
    this.lastInbound.set(from, at);
    const message: InboundCloudMessage = { from, id: wamid, timestamp: unixSeconds(at), ...content };
    const value: WebhookValue = {
      messaging_product: 'whatsapp',
      metadata: this.metadata(),
      contacts: [{ profile: { name: who.name ?? from }, wa_id: from }],
      messages: [message],
    };
    const rec = this.record('message', value);
    const delivery = await this.deliver(rec, who.sign ?? 'valid');
    return { ...delivery, wamid };
  }

  private recordStatus(msg: CloudSentMessage, status: CloudStatus, errorCode?: number): WebhookRecord {
    msg.statuses.push(status);
    if (status === 'failed') msg.failedWith = errorCode ?? GraphErrorCode.messageUndeliverable;
    const update: StatusUpdate = {
      id: msg.wamid,
      status,
      timestamp: unixSeconds(this.now()),
      recipient_id: msg.waId,
    };
    if (status === 'sent' || status === 'delivered') {
      update.conversation = { id: randomBytes(16).toString('hex'), origin: { type: msg.type === 'template' ? 'utility' : 'service' } };
      update.pricing = { billable: true, pricing_model: 'PMP', category: msg.type === 'template' ? 'utility' : 'service' };
    }
    if (status === 'failed') update.errors = [statusError(msg.failedWith ?? GraphErrorCode.messageUndeliverable)];
    return this.record('status', { messaging_product: 'whatsapp', metadata: this.metadata(), statuses: [update] });
  }

  private record(kind: WebhookRecord['kind'], value: WebhookValue): WebhookRecord {
    const payload = wrapValue(this.wabaId, value);
    const rec: WebhookRecord = {
      payloadId: `payload-${this.webhooks.length + 1}`,
      kind,
      rawBody: JSON.stringify(payload),
      payload,
      deliveries: [],
    };
    this.webhooks.push(rec);
    return rec;
  }

  private async deliver(rec: WebhookRecord, sign: SignMode): Promise<WebhookDelivery> {
    const url = this.requireWebhookUrl();
    const signature =
      sign === 'missing' ? null : hubSignature256(rec.rawBody, sign === 'valid' ? this.appSecret : `${this.appSecret}-wrong`);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'facebookexternalua',
    };
    if (signature) {
      headers['x-hub-signature-256'] = signature;
      headers['x-hub-signature'] = hubSignature1(rec.rawBody, sign === 'valid' ? this.appSecret : `${this.appSecret}-wrong`);
    }
    let delivery: WebhookDelivery;
    try {
      const res = await fetch(url, { method: 'POST', headers, body: rec.rawBody, signal: AbortSignal.timeout(15_000) });
      delivery = { payloadId: rec.payloadId, status: res.status, body: await res.text(), signature };
    } catch (err) {
      delivery = { payloadId: rec.payloadId, status: 0, body: '', error: String(err), signature };
    }
    rec.deliveries.push(delivery);
    return delivery;
  }

  /** Fire-and-forget delivery for webhooks the platform sends on its own. */
  private deliverLater(rec: WebhookRecord): void {
    if (!this.webhookUrl) return;
    const p = new Promise((r) => setTimeout(r, this.statusDelayMs)).then(() => this.deliver(rec, 'valid'));
    this.pendingWebhooks.add(p);
    void p.finally(() => this.pendingWebhooks.delete(p));
  }

  private requireWebhookUrl(): string {
    if (!this.webhookUrl) throw new Error('WhatsAppCloudEmulator: no webhook URL configured (setWebhook)');
    return this.webhookUrl;
  }

  private requireSent(wamid: string): CloudSentMessage {
    const msg = this.sent.find((m) => m.wamid === wamid);
    if (!msg) throw new Error(`no message ${wamid} was sent through the emulator`);
    return msg;
  }

  private storeMedia(bytes: Buffer, mimeType: string, from: StoredMedia['from'], fileName?: string): StoredMedia {
    const id = mediaId();
    const m: StoredMedia = { id, bytes, mimeType, from, ...(fileName !== undefined ? { fileName } : {}) };
    this.media.set(id, m);
    return m;
  }

  // ---- internals: the Graph API ------------------------------------------------------------

  private injectFailure(kind: '500' | '503' | 'network', req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const call: GraphCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization ?? null,
      body: null,
      status: 0,
      response: null,
      at: this.now(),
    };
    this.calls.push(call);
    if (kind === 'network') {
      req.socket.destroy();
      return;
    }
    const err = kind === '503' ? graphErrors.unavailable() : graphErrors.internal();
    call.status = err.status;
    call.response = err.body;
    // Drain the request first so the client is not reset mid-upload.
    req.resume();
    req.on('end', () => {
      res.writeHead(err.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(err.body));
    });
  }

  private buildApp(): Hono {
    const app = new Hono();
    const answer = (c: Context, call: GraphCall, status: number, body: unknown) => {
      call.status = status;
      call.response = body;
      return c.json(body as object, status as ContentfulStatusCode);
    };
    const fail = (c: Context, call: GraphCall, e: GraphErrorResponse) => answer(c, call, e.status, e.body);
    const begin = (c: Context, body: unknown): GraphCall => {
      const url = new URL(c.req.url);
      const call: GraphCall = {
        method: c.req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: c.req.header('authorization') ?? null,
        body,
        status: 0,
        response: null,
        at: this.now(),
      };
      this.calls.push(call);
      return call;
    };
    const authorized = (call: GraphCall) => call.authorization === `Bearer ${this.token}`;

    app.post('/:version/:phoneId/messages', async (c) => {
      const raw = await c.req.text();
      let body: unknown;
      try {
        body = raw.length ? JSON.parse(raw) : {};
      } catch {
        body = raw;
      }
      const call = begin(c, body);
      if (!authorized(call)) return fail(c, call, graphErrors.invalidToken());
      const { version, phoneId } = c.req.param();
      if (!VERSION_RE.test(version) || phoneId !== this.phoneNumberId) return fail(c, call, graphErrors.unsupportedRequest('post', phoneId));
      if (!this.takeThroughput()) return fail(c, call, graphErrors.rateLimitHit(this.rateLimitStatus));
      const v = validateMessage(body);
      if (!v.ok) return fail(c, call, v.error);
      const msg = v.message;
      if (msg.media && 'id' in msg.media && !this.media.has(msg.media.id)) {
        return fail(c, call, graphErrors.invalidParameter(`Param ${msg.type}['id'] (${msg.media.id}) is not a valid media id.`));
      }
      if (msg.type === 'template' && this.approvedTemplates) {
        const t = (body as { template: { name: string; language: { code: string } } }).template;
        if (!this.approvedTemplates.some((a) => a.name === t.name && a.language === t.language.code)) {
          return fail(c, call, graphErrors.templateDoesNotExist(t.name, t.language.code));
        }
      }
      const how = this.undeliverable.get(msg.waId);
      if (how === 'response') return fail(c, call, graphErrors.messageUndeliverable());

      const sent: CloudSentMessage = {
        wamid: makeWamid(msg.waId),
        to: msg.to,
        waId: msg.waId,
        type: msg.type,
        text: msg.text,
        body: body as Record<string, unknown>,
        ...(msg.choices ? { choices: msg.choices } : {}),
        at: this.now(),
        statuses: [],
      };
      this.sent.push(sent);
      const res = answer(c, call, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: msg.to, wa_id: msg.waId }],
        messages: [{ id: sent.wamid, ...(msg.type === 'template' ? { message_status: 'accepted' } : {}) }],
      });
      const failure = how === 'webhook' ? GraphErrorCode.messageUndeliverable : this.outsideServiceWindow(msg) ? GraphErrorCode.reEngagement : null;
      if (failure !== null) this.deliverLater(this.recordStatus(sent, 'failed', failure));
      for (const w of [...this.waiters]) {
        if (w.match(sent)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(sent);
          break;
        }
      }
      return res;
    });

    app.post('/:version/:phoneId/media', async (c) => {
      let form: Record<string, unknown> = {};
      try {
        form = await c.req.parseBody();
      } catch {
        // Graph answers a non-multipart body with a parameter error, below.
      }
      const file = form.file;
      const summary = Object.fromEntries(
        Object.entries(form).map(([k, v]) => [k, v instanceof File ? { name: v.name, type: v.type, size: v.size } : v]),
      );
      const call = begin(c, summary);
      if (!authorized(call)) return fail(c, call, graphErrors.invalidToken());
      const { version, phoneId } = c.req.param();
      if (!VERSION_RE.test(version) || phoneId !== this.phoneNumberId) return fail(c, call, graphErrors.unsupportedRequest('post', phoneId));
      if (form.messaging_product !== 'whatsapp') return fail(c, call, graphErrors.invalidParameter('The parameter messaging_product is required.'));
      if (!(file instanceof File)) return fail(c, call, graphErrors.invalidParameter('The parameter file is required.'));
      const mimeType = typeof form.type === 'string' && form.type ? form.type : file.type;
      if (!mimeType) return fail(c, call, graphErrors.invalidParameter('The parameter type is required.'));
      const m = this.storeMedia(Buffer.from(await file.arrayBuffer()), mimeType, 'business', file.name || undefined);
      return answer(c, call, 200, { id: m.id });
    });

    app.get('/whatsapp_business/attachments/', (c) => {
      const call = begin(c, null);
      if (!authorized(call)) return fail(c, call, graphErrors.invalidToken());
      const m = this.media.get(c.req.query('mid') ?? '');
      if (!m) {
        call.status = 404;
        return c.text('Not Found', 404);
      }
      call.status = 200;
      call.response = { bytes: m.bytes.length };
      return c.body(new Uint8Array(m.bytes), 200, { 'content-type': m.mimeType, 'content-length': String(m.bytes.length) });
    });

    app.get('/:version/:mediaId', (c) => {
      const call = begin(c, null);
      if (!authorized(call)) return fail(c, call, graphErrors.invalidToken());
      const { version, mediaId: id } = c.req.param();
      const m = this.media.get(id);
      if (!VERSION_RE.test(version) || !m) return fail(c, call, graphErrors.unsupportedRequest('get', id));
      const url = `${this.baseUrl}/whatsapp_business/attachments/?mid=${m.id}&ext=${unixSeconds(this.now())}&hash=${randomBytes(12).toString('base64url')}`;
      return answer(c, call, 200, {
        messaging_product: 'whatsapp',
        url,
        mime_type: m.mimeType,
        sha256: sha256(m.bytes, 'hex'),
        file_size: m.bytes.length,
        id: m.id,
      });
    });

    app.delete('/:version/:mediaId', (c) => {
      const call = begin(c, null);
      if (!authorized(call)) return fail(c, call, graphErrors.invalidToken());
      const { mediaId: id } = c.req.param();
      if (!this.media.delete(id)) return fail(c, call, graphErrors.unsupportedRequest('delete', id));
      return answer(c, call, 200, { success: true });
    });

    app.all('*', (c) => {
      const call = begin(c, null);
      return fail(c, call, graphErrors.unsupportedRequest(c.req.method === 'POST' ? 'post' : 'get', new URL(c.req.url).pathname));
    });
    return app;
  }

  /** Sliding one-second window, the way Meta measures messages per second. */
  private takeThroughput(): boolean {
    const t = performance.now();
    while (this.recentSends.length > 0 && t - (this.recentSends[0] ?? 0) >= 1000) this.recentSends.shift();
    if (this.recentSends.length >= this.throughput) return false;
    this.recentSends.push(t);
    return true;
  }

  private outsideServiceWindow(msg: ValidatedMessage): boolean {
    if (!this.enforceServiceWindow || msg.type === 'template') return false;
    const last = this.lastInbound.get(msg.waId);
    return last === undefined || this.now() - last > 24 * 3600 * 1000;
  }
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}

function sha256(bytes: Buffer, enc: 'hex' | 'base64'): string {
  return createHash('sha256').update(bytes).digest(enc);
}

function toBuffer(b: Buffer | Uint8Array | string): Buffer {
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
}

/** Shaped like Meta's: `wamid.` and base64 of a small binary record that carries the wa_id. */
function makeWamid(waId: string): string {
  const phone = Buffer.from(waId, 'ascii');
  const rnd = randomBytes(16);
  const rec = Buffer.concat([Buffer.from([0x1c, 0x18, phone.length]), phone, Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x20]), Buffer.from(rnd.toString('hex').toUpperCase())]);
  return `wamid.${rec.toString('base64')}`;
}

function mediaId(): string {
  return String(1_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`));
}
