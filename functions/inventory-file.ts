/** S3 ObjectCreated (inventory/…/*.csv) → start or continue an inventory sync batch. Thin: decode, delegate. */
import type { S3Event } from "aws-lambda";
import { createDeps, type Deps } from "../core/deps.ts";
import { handleS3Event } from "../core/inventory/events.ts";

let deps: Deps | undefined;

export async function handler(event: S3Event): Promise<void> {
  deps ??= createDeps();
  await handleS3Event(deps, event);
}
