/**
 * An SQS event source mapping, locally: pollers receive batches from a queue, build the SQSEvent
 * Lambda would deliver, call the handler and delete what succeeded.
 *
 * Semantics kept from AWS (ReportBatchItemFailures on):
 * - up to `batchSize` messages per invocation; `concurrency` pollers per queue (default 2), like
 *   Lambda scaling out on a queue;
 * - result with batchItemFailures: those messages stay (they reappear after the visibility
 *   timeout), the others are deleted; an empty or absent list deletes all;
 * - a thrown error, a timeout, or a malformed response (an itemIdentifier that is empty or not
 *   in the batch) fails the whole batch: nothing is deleted;
 * - the queue's RedrivePolicy does the rest: after maxReceiveCount receives the emulator moves
 *   the message to the dead-letter queue.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from "aws-lambda";

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void | undefined | null>;

export interface SqsPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** eventSourceARN of the records (arn:aws:sqs:<region>:000000000000:<name>). */
  queueArn: string;
  region: string;
  batchSize: number;
  handler: SqsHandler;
  /** Concurrent pollers (Lambda concurrency on this queue). Default 2. */
  concurrency?: number;
  /** Long-poll seconds per ReceiveMessage. Default 1 (also bounds stop latency). */
  waitTimeSeconds?: number;
  /** Name used in log lines. */
  name?: string;
  log?: (line: string) => void;
}

export interface SqsPollerStats {
  invocations: number;
  messages: number;
  deleted: number;
  itemFailures: number;
  batchFailures: number;
}

export interface SqsPoller {
  readonly stats: SqsPollerStats;
  /** Resolves once every poller has finished its current receive and invocation. */
  stop(): Promise<void>;
}

/** Message attributes in Lambda's record shape (camelCase, binary as base64, list fields present). */
function toRecordAttributes(message: Message): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    out[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString("base64")),
      dataType: value.DataType ?? "String",
    };
  }
  return out;
}

export function toSqsRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const attributes = (message.Attributes ?? {}) as Record<string, string>;
  const recordAttributes: SQSRecordAttributes = {
    ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
    SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
    SenderId: attributes.SenderId ?? "000000000000",
    ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  };
  for (const key of ["AWSTraceHeader", "SequenceNumber", "MessageGroupId", "MessageDeduplicationId", "DeadLetterQueueSourceArn"] as const) {
    if (attributes[key] !== undefined) recordAttributes[key] = attributes[key];
  }
  const record: SQSRecord = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: recordAttributes,
    messageAttributes: toRecordAttributes(message),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/**
 * Which messages of a batch to delete, given what the handler did. An absent result or one
 * without failures deletes all; a thrown error deletes none; a malformed failure list (an
 * itemIdentifier empty or not in the batch) deletes none, as AWS then fails the whole batch.
 */
export function messagesToDelete(
  records: SQSRecord[],
  outcome: { result?: SQSBatchResponse | void | null; error?: unknown },
): { toDelete: SQSRecord[]; malformed: boolean } {
  if (outcome.error !== undefined) return { toDelete: [], malformed: false };
  const failures = outcome.result?.batchItemFailures;
  if (!failures || failures.length === 0) return { toDelete: records, malformed: false };
  const ids = new Set(records.map((r) => r.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    if (typeof id !== "string" || id === "" || !ids.has(id)) return { toDelete: [], malformed: true };
    failed.add(id);
  }
  return { toDelete: records.filter((r) => !failed.has(r.messageId)), malformed: false };
}

export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const batchSize = Math.min(10, Math.max(1, options.batchSize));
  const waitTimeSeconds = options.waitTimeSeconds ?? 1;
  const name = options.name ?? options.queueArn.split(":").pop() ?? options.queueUrl;
  const log = options.log ?? (() => {});
  const stats: SqsPollerStats = { invocations: 0, messages: 0, deleted: 0, itemFailures: 0, batchFailures: 0 };
  let stopping = false;
  const sleepers = new Set<() => void>();

  async function deleteMessages(records: SQSRecord[]) {
    for (let i = 0; i < records.length; i += 10) {
      const chunk = records.slice(i, i + 10);
      const out = await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: chunk.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
      stats.deleted += out.Successful?.length ?? 0;
      for (const failed of out.Failed ?? []) log(`[${name}] delete failed: ${failed.Code} ${failed.Message ?? ""}`);
    }
  }

  async function loop(worker: number) {
    let backoff = 0;
    while (!stopping) {
      let messages: Message[] = [];
      try {
        const out = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: batchSize,
            WaitTimeSeconds: waitTimeSeconds,
            MessageSystemAttributeNames: ["All"],
            AttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        messages = out.Messages ?? [];
        backoff = 0;
      } catch (error) {
        if (stopping) break;
        backoff = Math.min(5000, backoff ? backoff * 2 : 250);
        log(`[${name}#${worker}] receive failed (${(error as Error).name}: ${(error as Error).message}); retrying in ${backoff} ms`);
        await new Promise<void>((r) => {
          const done = () => {
            sleepers.delete(done);
            clearTimeout(timer);
            r();
          };
          const timer = setTimeout(done, backoff);
          sleepers.add(done);
        });
        continue;
      }
      if (messages.length === 0) continue;
      // A batch already received is processed even when stopping, so nothing waits on a timeout.
      const records = messages.map((m) => toSqsRecord(m, options.queueArn, options.region));
      stats.invocations++;
      stats.messages += records.length;
      let outcome: { result?: SQSBatchResponse | void | null; error?: unknown };
      try {
        outcome = { result: await options.handler({ Records: records }) };
      } catch (error) {
        outcome = { error };
        log(`[${name}] handler failed for a batch of ${records.length}: ${(error as Error)?.stack ?? String(error)}`);
      }
      const { toDelete, malformed } = messagesToDelete(records, outcome);
      if (malformed) log(`[${name}] malformed batchItemFailures: the whole batch is left for retry`);
      if (outcome.error !== undefined || malformed) stats.batchFailures++;
      stats.itemFailures += records.length - toDelete.length;
      try {
        if (toDelete.length > 0) await deleteMessages(toDelete);
      } catch (error) {
        log(`[${name}] delete failed: ${(error as Error).message}`);
      }
    }
  }

  const loops = Array.from({ length: concurrency }, (_, i) =>
    loop(i).catch((error) => log(`[${name}] poller crashed: ${(error as Error)?.stack ?? error}`)),
  );
  let stopped: Promise<void> | undefined;
  return {
    stats,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const wake of [...sleepers]) wake();
        await Promise.all(loops);
      })();
      return stopped;
    },
  };
}
