// Graph API error bodies as the WhatsApp Cloud API returns them. Apps should branch on
// `error.code` (and the HTTP status only as a hint), so the codes here are Meta's own.
import { randomBytes } from 'node:crypto';

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

export interface GraphErrorResponse {
  status: number;
  body: GraphErrorBody;
}

/** Meta's error codes the emulator produces. */
export const GraphErrorCode = {
  unknown: 1,
  serviceUnavailable: 2,
  invalidParameter: 100,
  accessToken: 190,
  rateLimitHit: 130429,
  parameterValueInvalid: 131009,
  messageUndeliverable: 131026,
  reEngagement: 131047,
  mediaUpload: 131053,
  templateDoesNotExist: 132001,
} as const;

function fbtraceId(): string {
  return randomBytes(8).toString('base64url').slice(0, 11);
}

function build(
  status: number,
  code: number,
  message: string,
  opts: { type?: string; details?: string; subcode?: number } = {},
): GraphErrorResponse {
  return {
    status,
    body: {
      error: {
        message,
        type: opts.type ?? 'OAuthException',
        code,
        ...(opts.subcode !== undefined ? { error_subcode: opts.subcode } : {}),
        ...(opts.details !== undefined ? { error_data: { messaging_product: 'whatsapp' as const, details: opts.details } } : {}),
        fbtrace_id: fbtraceId(),
      },
    },
  };
}

export const graphErrors = {
  invalidToken: () => build(401, GraphErrorCode.accessToken, 'Invalid OAuth access token - Cannot parse access token'),
  invalidParameter: (details: string) =>
    build(400, GraphErrorCode.invalidParameter, '(#100) Invalid parameter', { details }),
  parameterValueInvalid: (details: string) =>
    build(400, GraphErrorCode.parameterValueInvalid, '(#131009) Parameter value is not valid', { details }),
  unsupportedRequest: (method: 'get' | 'post' | 'delete', id: string) =>
    build(
      400,
      GraphErrorCode.invalidParameter,
      `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      { type: 'GraphMethodException', subcode: 33 },
    ),
  rateLimitHit: (status: number) =>
    build(status, GraphErrorCode.rateLimitHit, '(#130429) Rate limit hit', {
      details: 'Cloud API message throughput has been reached.',
    }),
  messageUndeliverable: () =>
    build(400, GraphErrorCode.messageUndeliverable, '(#131026) Message undeliverable', {
      details: 'Message undeliverable.',
    }),
  templateDoesNotExist: (name: string, language: string) =>
    build(404, GraphErrorCode.templateDoesNotExist, '(#132001) Template name does not exist in the translation', {
      details: `template name (${name}) does not exist in ${language}`,
    }),
  internal: () => build(500, GraphErrorCode.unknown, 'An unknown error has occurred.'),
  unavailable: () => build(503, GraphErrorCode.serviceUnavailable, 'Service temporarily unavailable'),
};

/** The `errors` entry of a `failed` status webhook. */
export interface StatusError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href: string;
}

const statusErrorTitles: Record<number, [string, string]> = {
  [GraphErrorCode.messageUndeliverable]: ['Message undeliverable', 'Unable to deliver message.'],
  [GraphErrorCode.reEngagement]: [
    'Re-engagement message',
    'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  ],
  [GraphErrorCode.mediaUpload]: ['Media upload error', 'Unable to download the media sent by the business.'],
};

export function statusError(code: number): StatusError {
  const [title, details] = statusErrorTitles[code] ?? ['Unknown error', 'Message failed to send.'];
  return {
    code,
    title,
    message: title,
    error_data: { details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}
