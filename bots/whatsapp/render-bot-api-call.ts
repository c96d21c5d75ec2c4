// What a Bot API call (as the bot made it and the outbox stored it) becomes on WhatsApp, in
// terms both transports (Cloud API, Baileys) build their own request from; and the Bot API
// answer handed back to grammY, so handlers and flows cannot tell the channels apart.
import { renderKeyboard } from './keyboard.ts';
import { guessLang, type WaLang } from './texts.ts';
import { messageIdOf } from './message-id.ts';

/** A platform media id / Bot API file_id, or a URL the platform fetches. */
export type MediaRef = { id: string } | { url: string };

export type WhatsAppSend =
  | { type: 'text'; to: string; text: string }
  | { type: 'document'; to: string; media: MediaRef; caption?: string; fileName?: string }
  | { type: 'image'; to: string; media: MediaRef; caption?: string }
  | { type: 'location'; to: string; latitude: number; longitude: number };

export type Rendered =
  | { kind: 'send'; send: WhatsAppSend }
  /** Nothing goes to WhatsApp; this is the Bot API answer. */
  | { kind: 'local'; result: unknown }
  | { kind: 'unsupported'; reason: string };

/** WhatsApp's limits: text bodies 4096 characters, media captions 1024. */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

type Params = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function renderBotApiCall(method: string, params: Params, opts: { lang?: WaLang } = {}): Rendered {
  const to = params.chat_id === undefined || params.chat_id === null ? '' : String(params.chat_id).replace(/\D/g, '');
  if (!to && method !== 'answerCallbackQuery') return { kind: 'unsupported', reason: `${method} without a chat_id (inline messages do not exist on WhatsApp)` };
  const withOptions = (text: string, limit: number) => {
    const block = renderKeyboard(params.reply_markup, opts.lang ?? guessLang(text));
    return joinWithin(text, block, limit);
  };
  switch (method) {
    case 'sendMessage':
    // WhatsApp cannot edit a sent message: the new text arrives as a new message.
    case 'editMessageText': {
      const text = str(params.text) ?? '';
      return { kind: 'send', send: { type: 'text', to, text: withOptions(text, TEXT_LIMIT) } };
    }
    case 'editMessageReplyMarkup': {
      // Removing the buttons needs no message; new buttons are shown as a message of options.
      const block = renderKeyboard(params.reply_markup, opts.lang ?? 'ru');
      return block ? { kind: 'send', send: { type: 'text', to, text: block } } : { kind: 'local', result: true };
    }
    case 'deleteMessage':
    case 'answerCallbackQuery':
      return { kind: 'local', result: true };
    case 'sendDocument':
    case 'sendPhoto': {
      const file = str(params[method === 'sendDocument' ? 'document' : 'photo']);
      if (!file) return { kind: 'unsupported', reason: `${method} needs a file_id or a URL (uploads are not bridged)` };
      const media: MediaRef = /^https?:\/\//i.test(file) ? { url: file } : { id: file };
      const caption = withOptions(str(params.caption) ?? '', CAPTION_LIMIT);
      const base = { to, media, ...(caption ? { caption } : {}) };
      if (method === 'sendPhoto') return { kind: 'send', send: { type: 'image', ...base } };
      const fileName = str(params.file_name) ?? ('url' in media ? fileNameOf(media.url) : undefined);
      return { kind: 'send', send: { type: 'document', ...base, ...(fileName ? { fileName } : {}) } };
    }
    case 'sendLocation': {
      const { latitude, longitude } = params;
      if (typeof latitude !== 'number' || typeof longitude !== 'number') return { kind: 'unsupported', reason: 'sendLocation needs latitude and longitude' };
      return { kind: 'send', send: { type: 'location', to, latitude, longitude } };
    }
    case 'sendContact': {
      const name = [str(params.first_name), str(params.last_name)].filter(Boolean).join(' ');
      return { kind: 'send', send: { type: 'text', to, text: [name, str(params.phone_number)].filter(Boolean).join(': ') } };
    }
    default:
      return { kind: 'unsupported', reason: `${method} is not bridged to WhatsApp` };
  }
}

/** The Bot API `Message` grammY gets back for a send; its id is derived from the platform's. */
export function botApiMessage(send: WhatsAppSend, platformMessageId: string, at = new Date()): Record<string, unknown> {
  const base = {
    message_id: messageIdOf(platformMessageId),
    date: Math.floor(at.getTime() / 1000),
    chat: { id: Number(send.to), type: 'private' },
  };
  switch (send.type) {
    case 'text':
      return { ...base, text: send.text };
    case 'location':
      return { ...base, location: { latitude: send.latitude, longitude: send.longitude } };
    case 'document': {
      const fileId = 'id' in send.media ? send.media.id : send.media.url;
      return { ...base, document: { file_id: fileId, file_unique_id: fileId, ...(send.fileName ? { file_name: send.fileName } : {}) }, ...caption(send.caption) };
    }
    case 'image': {
      const fileId = 'id' in send.media ? send.media.id : send.media.url;
      return { ...base, photo: [{ file_id: fileId, file_unique_id: fileId, width: 0, height: 0 }], ...caption(send.caption) };
    }
  }
}

const caption = (c: string | undefined) => (c ? { caption: c } : {});

/** The text, shortened if it must be, then the options: the options are what must stay whole. */
function joinWithin(text: string, block: string, limit: number): string {
  if (!block) return shortenTo(text, limit);
  if (!text) return shortenTo(block, limit);
  const room = limit - block.length - 2;
  return room > 0 ? `${shortenTo(text, room)}\n\n${block}` : shortenTo(block, limit);
}

function shortenTo(s: string, limit: number): string {
  const chars = [...s];
  return chars.length <= limit ? s : `${chars.slice(0, limit - 1).join('')}…`;
}

function fileNameOf(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}
