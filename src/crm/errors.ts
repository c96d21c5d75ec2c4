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
    options?: { cause?: unknown; field?: string },
  ) {
    super(`stage ${stage} does not exist in pipeline ${pipelineId}`, options);
    this.field = options?.field ?? null;
  }
  /** The input field that named the stage, when known. */
  readonly field: string | null;
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
    options?: { cause?: unknown; reason?: 'observer' },
  ) {
    super(
      options?.reason === 'observer'
        ? `${entity} ${id}: an observer reads and comments; only its responsible, a supervisor or an admin changes it`
        : `access to ${entity}${id === null ? '' : ` ${id}`} denied`,
      options,
    );
    this.reason = options?.reason ?? null;
  }
  /** 'observer': the actor may read the record but not change it. */
  readonly reason: 'observer' | null;
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

/** Another company already has this INN; the answer names it. */
export class DuplicateInnError extends ConflictError {
  override name = 'DuplicateInnError';
  readonly field = 'inn';
  constructor(
    readonly inn: string,
    readonly existing: { entity: 'company'; id: number; name: string },
    options?: { cause?: unknown },
  ) {
    super(`company ${existing.id} «${existing.name}» already has INN ${inn}`, options);
  }
}
