// Typed failures with a stable code. Mapped once at the edge: HTTP statuses in http/problem.ts, CLI
// messages and exit codes in cli/. Nothing here knows about either.

export class CandorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends CandorError {
  constructor(what: string, id: string) {
    super('not_found', `${what} "${id}" was not found`);
  }
}

/** The caller asked for something malformed: a bad id, cursor, time or name. */
export class BadRequestError extends CandorError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

/** The caller may not see this (e.g. raw results made private). */
export class ForbiddenError extends CandorError {}

/**
 * Storage failed. Codes: `storage_unavailable` (cannot reach or write the database: connection lost,
 * disk full, locked), `storage_migration_failed`, `storage_unwritable`, `storage_unconfigured`,
 * `storage_failed` (anything else the driver reported).
 */
export class StorageError extends CandorError {}

/** The request clashes with what exists (an agent name in use, another public key registered). */
export class ConflictError extends CandorError {}

/** The caller did not prove who it is (missing, wrong or revoked token). */
export class UnauthorizedError extends CandorError {}

/** The caller asked too often; `retryAfterSeconds` says when to try again. */
export class TooManyRequestsError extends CandorError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message);
  }
}
