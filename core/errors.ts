/**
 * Domain errors carry a stable code; the GraphQL host shows their message and code and masks
 * everything else as INTERNAL_SERVER_ERROR (no stack traces leave the process).
 */
export type ErrorCode = "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "FORBIDDEN" | "UNAUTHENTICATED" | "FAILED_PRECONDITION";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("CONFLICT", message, details);
    this.name = "ConflictError";
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("NOT_FOUND", message, details);
    this.name = "NotFoundError";
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("BAD_USER_INPUT", message, details);
    this.name = "ValidationError";
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("FORBIDDEN", message, details);
    this.name = "ForbiddenError";
  }
}

/**
 * A business-rule failure reported in a payload's `userErrors` (Centra style): a message and the
 * input path it concerns, e.g. ["input", "allocationRule", "id"].
 */
export interface UserError {
  message: string;
  path: string[];
}

export class UserErrors extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "UserErrors";
  }
}
