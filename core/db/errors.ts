/** Persistence outcomes the domain reacts to; anything else is an internal error. */
export { ConflictError, NotFoundError } from "../errors.ts";

/** True when a DynamoDB call failed on a condition (single write or any item of a transaction). */
export function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "ConditionalCheckFailedException" || name === "TransactionCanceledException";
}

/** For a cancelled transaction: which items failed their condition (by index). */
export function failedConditionIndexes(error: unknown): number[] {
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> } | null)?.CancellationReasons ?? [];
  return reasons.flatMap((r, i) => (r?.Code === "ConditionalCheckFailed" ? [i] : []));
}
