/** A failure with a stable code, mapped once at the edge: HTTP to problem+json, CLI to a message and exit code. */
export class CandorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 500,
  ) {
    super(message);
    this.name = 'CandorError';
  }
}

export class NotFoundError extends CandorError {
  constructor(what: string, id: string) {
    super('not_found', `${what} "${id}" was not found`, 404);
  }
}

export class BadRequestError extends CandorError {
  constructor(message: string) {
    super('bad_request', message, 400);
  }
}
