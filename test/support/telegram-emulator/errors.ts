// Bot API error answers, worded as Telegram words them: bot code and its tests match on
// `error_code` and on description prefixes ("Forbidden: bot was blocked by the user"), so
// the exact strings matter more than anything else here.

export interface BotApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Thrown by method handlers; the server turns it into the JSON answer with `status`. */
export class BotApiError extends Error {
  override readonly name = 'BotApiError';
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: BotApiErrorBody['parameters'],
  ) {
    super(description);
  }

  get body(): BotApiErrorBody {
    return {
      ok: false,
      error_code: this.status,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string) => new BotApiError(400, `Bad Request: ${what}`);

export const botApiErrors = {
  unauthorized: () => new BotApiError(401, 'Unauthorized'),
  notFound: () => new BotApiError(404, 'Not Found'),
  methodNotFound: () => new BotApiError(404, 'Not Found: method not found'),
  tooManyRequests: (retryAfter: number) =>
    new BotApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  internal: () => new BotApiError(500, 'Internal Server Error'),
  blockedByUser: () => new BotApiError(403, 'Forbidden: bot was blocked by the user'),
  kickedFromGroup: (supergroup: boolean) =>
    new BotApiError(403, `Forbidden: bot was kicked from the ${supergroup ? 'supergroup' : 'group'} chat`),
  webhookActive: () =>
    new BotApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"),
  otherGetUpdates: () =>
    new BotApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
  chatNotFound: () => badRequest('chat not found'),
  chatIdEmpty: () => badRequest('chat_id is empty'),
  textEmpty: () => badRequest('message text is empty'),
  textTooLong: () => badRequest('message is too long'),
  captionTooLong: () => badRequest('message caption is too long'),
  messageToEditNotFound: () => badRequest('message to edit not found'),
  messageCantBeEdited: () => badRequest("message can't be edited"),
  messageNotModified: () =>
    badRequest(
      'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    ),
  messageToDeleteNotFound: () => badRequest('message to delete not found'),
  replyNotFound: () => badRequest('message to be replied not found'),
  queryTooOld: () => badRequest('query is too old and response timeout expired or query ID is invalid'),
  wrongFileId: () => badRequest('wrong file identifier/HTTP URL specified'),
  wrongRemoteFileId: () => badRequest('wrong remote file identifier specified: Wrong string length'),
  fileTooBig: () => badRequest('file is too big'),
  urlContentFailed: () => badRequest('failed to get HTTP URL content'),
  imageProcessFailed: () => badRequest('IMAGE_PROCESS_FAILED'),
  documentMissing: () => badRequest('there is no document in the request'),
  photoMissing: () => badRequest('there is no photo in the request'),
};
