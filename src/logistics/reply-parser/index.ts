// The reply parser's public surface.
export { parseReply, toContractJson, parsedReplySchema } from './parse-reply.ts';
export type { ContractReply, ReplyId } from './contract.ts';
export { runParseReplies } from './parse-replies-command.ts';
export { replyKinds, vehicleKinds, vatKinds, paymentKinds } from './types.ts';
export type { ParsedReply, Explanation, ParseOptions, ReplyKind, VehicleKind, VatKind, PaymentKind } from './types.ts';
