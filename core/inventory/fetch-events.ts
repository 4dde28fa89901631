/**
 * The fetch queue's Lambda events (and its dead-letter queue's) decoded into core calls. Apart from
 * core/inventory/events.ts so that only the fetch worker bundles the download's HTTP client.
 */
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Deps } from "../deps.ts";
import { failBatch } from "./batches.ts";
import { fetchIntoBucket } from "./download.ts";
import { queueName } from "./events.ts";
import type { FetchMessage } from "./fetch.ts";

export const DEAD_FETCH_ERROR = "download failed: the download worker failed repeatedly; start the sync again";

/**
 * Fetch-queue messages, and its dead-letter queue's: a download whose worker failed every attempt
 * ends its batch in error instead of leaving it pending.
 */
export async function handleFetchMessages(deps: Deps, event: SQSEvent): Promise<SQSBatchResponse> {
  const fetchQueue = queueName(deps.config.fetchQueueUrl);
  const failures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      const msg = JSON.parse(record.body) as FetchMessage;
      if (msg?.v !== 1) continue;
      if (queueName(record.eventSourceARN) === fetchQueue) await fetchIntoBucket(deps, msg);
      else await failBatch(deps, msg.orgId, msg.batchId, DEAD_FETCH_ERROR);
    } catch (error) {
      console.error(JSON.stringify({ level: "error", area: "inventory-fetch", messageId: record.messageId, error: (error as Error).message }));
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
