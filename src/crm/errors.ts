// Named errors of the CRM services; HTTP routes and bot handlers map them to answers.

export class CrmError extends Error {
  override name = 'CrmError';
}

export class NotFoundError extends CrmError {
  override name = 'NotFoundError';
  constructor(
    readonly entity: string,
    readonly id: number | string,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${id} not found`, options);
  }
}

export interface FieldIssue {
  field: string;
  message: string;
}

export class ValidationError extends CrmError {
  override name = 'ValidationError';
  constructor(
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, options);
  }
}

export class UnknownStageError extends CrmError {
  override name = 'UnknownStageError';
  constructor(
    readonly stage: number | string,
    readonly pipelineId: number,
    options?: { cause?: unknown },
  ) {
    super(`stage ${stage} does not exist in pipeline ${pipelineId}`, options);
  }
}

export class TransitionNotAllowedError extends CrmError {
  override name = 'TransitionNotAllowedError';
  constructor(
    readonly fromStage: string,
    readonly toStage: string,
    readonly reason: 'same_stage' | 'deal_closed' | 'not_allowed_from',
    options?: { cause?: unknown },
  ) {
    super(`cannot move from ${fromStage} to ${toStage}: ${reason}`, options);
  }
}

export class RequirementsNotMetError extends CrmError {
  override name = 'RequirementsNotMetError';
  constructor(
    readonly stage: string,
    readonly missing: string[],
    options?: { cause?: unknown },
  ) {
    super(`stage ${stage} requires: ${missing.join(', ')}`, options);
  }
}

export class StaleVersionError extends CrmError {
  override name = 'StaleVersionError';
  constructor(
    readonly entity: string,
    readonly id: number,
    readonly expectedVersion: number,
    readonly currentVersion: number | null,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${id} was changed meanwhile (expected version ${expectedVersion}, now ${currentVersion ?? 'unknown'})`, options);
  }
}

export class AccessDeniedError extends CrmError {
  override name = 'AccessDeniedError';
  constructor(
    readonly entity: string,
    readonly id: number | null,
    options?: { cause?: unknown },
  ) {
    super(`access to ${entity}${id === null ? '' : ` ${id}`} denied`, options);
  }
}

export class ConflictError extends CrmError {
  override name = 'ConflictError';
}

/** Someone else holds the lead; the bot tells the manager who. */
export class LeadTakenError extends ConflictError {
  override name = 'LeadTakenError';
  constructor(
    readonly leadId: number,
    readonly holderId: number,
    readonly holderName: string,
    options?: { cause?: unknown },
  ) {
    super(`lead ${leadId} is already taken by ${holderName}`, options);
  }
}
