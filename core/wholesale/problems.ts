/**
 * Collects the business and validation failures of one Centra-style mutation: every problem of
 * the input is reported at once (message + input path), and nothing is written when any exists.
 */
import { UserErrors, type UserError } from "../errors.ts";

export type PathPart = string | number;

export class Problems {
  readonly list: UserError[] = [];

  add(path: PathPart[], message: string): void {
    this.list.push({ message, path: path.map(String) });
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** Throws the collected problems (caught by the resolver and returned as userErrors). */
  throwIfAny(): void {
    if (this.any) throw new UserErrors(this.list);
  }
}

export const MAX_NAME = 200;

export function checkName(problems: Problems, path: PathPart[], value: string | null | undefined, required: boolean): string | undefined {
  if (value == null) {
    if (required) problems.add(path, "name is required");
    return undefined;
  }
  const trimmed = value.trim();
  if (!trimmed) problems.add(path, "name must not be empty");
  else if (trimmed.length > MAX_NAME) problems.add(path, `name must be at most ${MAX_NAME} characters`);
  return trimmed;
}

export function checkPercent(problems: Problems, path: PathPart[], value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 100) problems.add(path, `discountPercent must be between 0 and 100 (got ${value})`);
}

/** A positive safe integer id (GraphQL Int allows 0 and negatives, which can never name a record). */
export const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0;
