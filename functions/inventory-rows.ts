/** Row queue (and its dead-letter queue) → apply chunks of inventory rows. Partial batch responses. */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createDeps, type Deps } from "../core/deps.ts";
import { handleRowMessages } from "../core/inventory/events.ts";

let deps: Deps | undefined;

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  deps ??= createDeps();
  return handleRowMessages(deps, event);
}
