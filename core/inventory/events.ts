/**
 * Decoding of the Lambda events of the inventory pipeline into core calls. The function files
 * only bind these to the process's deps; tests and the bench call them with their own deps.
 */
import type { S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Deps } from "../deps.ts";
import { processFile, type FileOutcome } from "./file.ts";
import { processChunk, reportDeadChunk, type ChunkMessage } from "./rows.ts";

/** S3 keys arrive URL-encoded with '+' for spaces. */
export const decodeS3Key = (key: string) => decodeURIComponent(key.replace(/\+/g, " "));

export async function handleS3Event(deps: Deps, event: S3Event, opts: { chunkRows?: number } = {}): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith("ObjectCreated")) continue;
    outcomes.push(
      await processFile(deps, {
        bucket: record.s3.bucket.name,
        key: decodeS3Key(record.s3.object.key),
        eTag: record.s3.object.eTag,
        sequencer: record.s3.object.sequencer,
        eventTime: record.eventTime,
      }, opts),
    );
  }
  return outcomes;
}

/** Name of a queue from its ARN (`arn:aws:sqs:region:account:name`) or URL (`…/account/name`). */
export const queueName = (arnOrUrl: string) => arnOrUrl.split(/[:/]/).filter(Boolean).at(-1) ?? "";

/**
 * Row-queue messages, and the dead-letter queue's: a record whose source queue is not the row
 * queue itself comes from its DLQ, and its rows are reported as errors so the batch finishes.
 * Failures are returned per message (partial batch response), so one bad chunk is retried alone.
 */
export async function handleRowMessages(deps: Deps, event: SQSEvent): Promise<SQSBatchResponse> {
  const rowQueue = queueName(deps.config.rowQueueUrl);
  const failures: SQSBatchResponse["batchItemFailures"] = [];
  await Promise.all(
    event.Records.map(async (record: SQSRecord) => {
      try {
        const msg = JSON.parse(record.body) as ChunkMessage;
        if (msg?.v !== 1 || !Array.isArray(msg.rows)) {
          console.error(JSON.stringify({ level: "error", area: "inventory-rows", msg: "unreadable message dropped", messageId: record.messageId }));
          return;
        }
        if (queueName(record.eventSourceARN) === rowQueue) await processChunk(deps, msg);
        else await reportDeadChunk(deps, msg);
      } catch (error) {
        console.error(JSON.stringify({ level: "error", area: "inventory-rows", messageId: record.messageId, error: (error as Error).message }));
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}
