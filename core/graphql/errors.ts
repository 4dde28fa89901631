/**
 * Error masking: domain errors keep their message and get a stable `extensions.code`; GraphQL
 * errors raised on purpose keep theirs; anything unexpected becomes INTERNAL_SERVER_ERROR with a
 * generic message (logged with the request id, never shown with a stack).
 */
import { GraphQLError } from "graphql";
import { DomainError } from "../errors.ts";

export const CODES = {
  unauthenticated: "UNAUTHENTICATED",
  forbidden: "FORBIDDEN",
  badInput: "BAD_USER_INPUT",
  notFound: "NOT_FOUND",
  conflict: "CONFLICT",
  tooComplex: "QUERY_TOO_COMPLEX",
  internal: "INTERNAL_SERVER_ERROR",
} as const;

export function gqlError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export function maskError(error: unknown, message: string): Error {
  if (error instanceof GraphQLError) {
    const original = error.originalError;
    if (original instanceof DomainError) {
      return new GraphQLError(original.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { ...original.details, code: original.code },
      });
    }
    if (original instanceof GraphQLError) return maskError(original, message);
    if (!original || (error.extensions?.code && error.extensions.code !== CODES.internal)) {
      // Raised on purpose (validation, parsing, our own gqlError): keep it as it is.
      if (!error.extensions?.code) {
        return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions: { ...error.extensions, code: CODES.badInput } });
      }
      return error;
    }
    logUnexpected(original);
    return new GraphQLError(message, { nodes: error.nodes, path: error.path, extensions: { code: CODES.internal } });
  }
  if (error instanceof DomainError) return new GraphQLError(error.message, { extensions: { ...error.details, code: error.code } });
  logUnexpected(error);
  return new GraphQLError(message, { extensions: { code: CODES.internal } });
}

function logUnexpected(error: unknown): void {
  console.error(JSON.stringify({ level: "error", msg: "unexpected error", error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) }));
}
