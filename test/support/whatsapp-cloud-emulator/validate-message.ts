// Validation of `POST /{phone_number_id}/messages` bodies with the Cloud API's documented
// limits, so an app that builds a payload Meta would refuse is refused here too instead of
// passing in tests and failing in production.
import { graphErrors, type GraphErrorResponse } from './graph-errors.ts';

export const cloudMessageTypes = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'interactive',
  'template',
  'reaction',
  'location',
  'contacts',
] as const;
export type CloudMessageType = (typeof cloudMessageTypes)[number];

const mediaTypes = new Set<CloudMessageType>(['image', 'document', 'audio', 'video', 'sticker']);
const captionTypes = new Set<CloudMessageType>(['image', 'document', 'video']);

export interface ValidatedMessage {
  to: string;
  /** The recipient as WhatsApp identifies it: the digits of `to`. */
  waId: string;
  type: CloudMessageType;
  /** For media messages: the uploaded media id or the link the platform would fetch. */
  media?: { id: string } | { link: string };
  /** For interactive messages: what the customer can press, used by `customerPressesButton`. */
  choices?: { kind: 'button' | 'list'; options: { id: string; title: string; description?: string }[] };
  /** The words a person would read: text body, caption, interactive body, template name. */
  text: string | null;
}

type Result = { ok: true; message: ValidatedMessage } | { ok: false; error: GraphErrorResponse };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

class Invalid extends Error {
  override name = 'Invalid';
  constructor(readonly error: GraphErrorResponse) {
    super(error.body.error.message);
  }
}
const bad = (details: string): never => {
  throw new Invalid(graphErrors.invalidParameter(details));
};
const badValue = (details: string): never => {
  throw new Invalid(graphErrors.parameterValueInvalid(details));
};

function maxLen(value: unknown, max: number, name: string): void {
  if (typeof value === 'string' && [...value].length > max) bad(`Param ${name} must be at most ${max} characters long.`);
}

function requireObject(parent: Record<string, unknown>, key: string, name = key): Record<string, unknown> {
  const v = parent[key];
  if (!isObject(v)) return bad(`The parameter ${name} is required.`);
  return v;
}

function validateMedia(type: CloudMessageType, obj: Record<string, unknown>): Pick<ValidatedMessage, 'media' | 'text'> {
  const hasId = obj.id !== undefined;
  const hasLink = obj.link !== undefined;
  if (hasId === hasLink) bad(`Param ${type} must contain exactly one of 'id' or 'link'.`);
  let media: ValidatedMessage['media'];
  if (hasId) {
    if (!isNonEmptyString(obj.id)) return bad(`Param ${type}['id'] must be a non-empty string.`);
    media = { id: obj.id };
  } else {
    if (!isNonEmptyString(obj.link) || !/^https?:\/\//.test(obj.link)) return bad(`Param ${type}['link'] must be a valid URL.`);
    media = { link: obj.link };
  }
  if (obj.caption !== undefined) {
    if (!captionTypes.has(type)) bad(`Param ${type}['caption'] is not supported for ${type} messages.`);
    if (typeof obj.caption !== 'string') bad(`Param ${type}['caption'] must be a string.`);
    maxLen(obj.caption, 1024, `${type}['caption']`);
  }
  if (obj.filename !== undefined && (type !== 'document' || typeof obj.filename !== 'string')) {
    bad(`Param ${type}['filename'] is only valid as a string on documents.`);
  }
  return { media, text: typeof obj.caption === 'string' ? obj.caption : null };
}

function validateInteractive(obj: Record<string, unknown>): Pick<ValidatedMessage, 'choices' | 'text'> {
  const kind = obj.type;
  if (kind !== 'button' && kind !== 'list' && kind !== 'cta_url') {
    return bad("Param interactive['type'] must be one of {BUTTON, LIST, CTA_URL}.");
  }
  const body = requireObject(obj, 'body', "interactive['body']");
  if (!isNonEmptyString(body.text)) return bad("The parameter interactive['body']['text'] is required.");
  maxLen(body.text, kind === 'list' ? 4096 : 1024, "interactive['body']['text']");
  if (obj.footer !== undefined) {
    if (!isObject(obj.footer) || typeof obj.footer.text !== 'string') bad("Param interactive['footer']['text'] must be a string.");
    else maxLen(obj.footer.text, 60, "interactive['footer']['text']");
  }
  const action = requireObject(obj, 'action', "interactive['action']");
  const options: { id: string; title: string; description?: string }[] = [];
  if (kind === 'button') {
    const buttons = action.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
      return badValue('Buttons count invalid. Min count: 1, Max count: 3.');
    }
    for (const b of buttons) {
      if (!isObject(b) || b.type !== 'reply' || !isObject(b.reply)) return bad("Param interactive['action']['buttons'][] must be {type: 'reply', reply: {id, title}}.");
      const { id, title } = b.reply;
      if (!isNonEmptyString(id) || [...id].length > 256) return badValue('Button id length invalid. Min length: 1, Max length: 256.');
      if (!isNonEmptyString(title) || [...title].length > 20) return badValue('Button title length invalid. Min length: 1, Max length: 20.');
      if (options.some((o) => o.id === id || o.title === title)) return badValue('Button title and id must be unique.');
      options.push({ id, title });
    }
  } else if (kind === 'list') {
    if (!isNonEmptyString(action.button) || [...action.button].length > 20) {
      return badValue('Button text length invalid. Min length: 1, Max length: 20.');
    }
    const sections = action.sections;
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) return badValue('Sections count invalid. Min count: 1, Max count: 10.');
    for (const s of sections) {
      if (!isObject(s) || !Array.isArray(s.rows) || s.rows.length < 1) return bad("Param interactive['action']['sections'][]['rows'] is required.");
      if (sections.length > 1 && !isNonEmptyString(s.title)) return bad("Param interactive['action']['sections'][]['title'] is required when there is more than one section.");
      maxLen(s.title, 24, "interactive['action']['sections'][]['title']");
      for (const r of s.rows) {
        if (!isObject(r)) return bad("Param interactive['action']['sections'][]['rows'][] must be an object.");
        if (!isNonEmptyString(r.id) || [...r.id].length > 200) return badValue('Row id length invalid. Min length: 1, Max length: 200.');
        if (!isNonEmptyString(r.title) || [...r.title].length > 24) return badValue('Row title length invalid. Min length: 1, Max length: 24.');
        if (r.description !== undefined && (typeof r.description !== 'string' || [...r.description].length > 72)) {
          return badValue('Row description length invalid. Max length: 72.');
        }
        if (options.some((o) => o.id === r.id)) return badValue('Row ids must be unique.');
        options.push({ id: r.id, title: r.title, ...(typeof r.description === 'string' ? { description: r.description } : {}) });
      }
    }
    if (options.length > 10) return badValue('Total row count exceed max allowed count: 10.');
  } else {
    const p = action.parameters;
    if (action.name !== 'cta_url' || !isObject(p) || !isNonEmptyString(p.display_text) || !isNonEmptyString(p.url)) {
      return bad("Param interactive['action'] must be {name: 'cta_url', parameters: {display_text, url}}.");
    }
  }
  return { text: body.text, ...(kind === 'cta_url' ? {} : { choices: { kind, options } }) };
}

export function validateMessage(raw: unknown): Result {
  try {
    return { ok: true, message: validate(raw) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.error };
    throw err;
  }
}

function validate(raw: unknown): ValidatedMessage {
  if (!isObject(raw)) return bad('The request body must be a JSON object.');
  if (raw.messaging_product === undefined) bad('The parameter messaging_product is required.');
  if (raw.messaging_product !== 'whatsapp') bad("Param messaging_product must be 'whatsapp'.");
  if (raw.recipient_type !== undefined && raw.recipient_type !== 'individual') bad("Param recipient_type must be 'individual'.");
  if (raw.to === undefined || raw.to === '') bad('The parameter to is required.');
  if (typeof raw.to !== 'string') return bad('Param to must be a string.');
  const to = raw.to;
  const digits = to.replace(/[\s()+-]/g, '');
  if (!/^\d{5,15}$/.test(digits)) bad(`Param to (${to}) is not a valid phone number.`);
  const type = raw.type ?? 'text';
  if (typeof type !== 'string' || !(cloudMessageTypes as readonly string[]).includes(type)) {
    return bad(`Param type must be one of {${cloudMessageTypes.map((t) => t.toUpperCase()).join(', ')}}.`);
  }
  const t = type as CloudMessageType;
  if (raw.context !== undefined && (!isObject(raw.context) || !isNonEmptyString(raw.context.message_id))) {
    bad("Param context['message_id'] must be a non-empty string.");
  }
  const obj = t === 'contacts' ? {} : requireObject(raw, t);
  const base = { to, waId: digits, type: t };
  if (t === 'text') {
    if (!isNonEmptyString(obj.body)) return bad("The parameter text['body'] is required.");
    maxLen(obj.body, 4096, "text['body']");
    if (obj.preview_url !== undefined && typeof obj.preview_url !== 'boolean') bad("Param text['preview_url'] must be a boolean.");
    return { ...base, text: obj.body };
  }
  if (mediaTypes.has(t)) return { ...base, ...validateMedia(t, obj) };
  if (t === 'interactive') return { ...base, ...validateInteractive(obj) };
  if (t === 'template') {
    if (!isNonEmptyString(obj.name)) return bad("The parameter template['name'] is required.");
    const lang = obj.language;
    if (!isObject(lang) || !isNonEmptyString(lang.code)) return bad("The parameter template['language']['code'] is required.");
    if (obj.components !== undefined && !Array.isArray(obj.components)) bad("Param template['components'] must be an array.");
    return { ...base, text: obj.name };
  }
  if (t === 'reaction') {
    if (!isNonEmptyString(obj.message_id)) return bad("The parameter reaction['message_id'] is required.");
    if (typeof obj.emoji !== 'string') return bad("The parameter reaction['emoji'] is required.");
    return { ...base, text: obj.emoji };
  }
  if (t === 'location') {
    if (typeof obj.latitude !== 'number' || typeof obj.longitude !== 'number') {
      return bad("The parameters location['latitude'] and location['longitude'] are required numbers.");
    }
    return { ...base, text: typeof obj.name === 'string' ? obj.name : null };
  }
  // contacts
  if (!Array.isArray(raw.contacts) || raw.contacts.length === 0) return bad('The parameter contacts is required.');
  return { ...base, text: null };
}
