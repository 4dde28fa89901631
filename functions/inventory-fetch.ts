/** Fetch queue → download an inventory_sync URL into the bucket (the S3 event continues the batch). */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDeps, type Deps } from "../core/deps.ts";
import { handleFetchMessages } from "../core/inventory/fetch-events.ts";

let deps: Deps | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  deps ??= createDeps();
  return handleFetchMessages(deps, event);
}
