/**
 * Inventory sync pipeline: the S3 drop notification, the row-chunk queue and the URL-fetch queue,
 * each with its dead-letter queue, and their subscribers. Every setting comes from
 * stacks/definitions.ts (INVENTORY_DROP, QUEUES, HANDLERS, FUNCTIONS), which the local host reads
 * too.
 *
 * Dead letters: a row chunk that failed `maxReceiveCount` times lands in the row DLQ, whose
 * subscriber is the same handler (HANDLERS.inventoryRows): it tells a dead-lettered record from a
 * live one by the record's `eventSourceARN` (the DLQ's queue name differs from the one in
 * `Resource.InventoryRowQueue.url`) and reports that chunk's rows as errors so the batch still
 * finishes. The fetch DLQ's subscriber is the fetch handler, which ends such a batch in error.
 * Who consumes what is QUEUE_CONSUMERS in stacks/definitions.ts (the local host polls the same).
 */
import { HANDLERS, INVENTORY_DROP, QUEUE_CONSUMERS, QUEUES, RESOURCES, type QueueSettings } from "./definitions.ts";
import { functionArgs, type Storage } from "./storage.ts";

export interface Ingest {
  rowQueue: sst.aws.Queue;
  rowDeadLetterQueue: sst.aws.Queue;
  fetchQueue: sst.aws.Queue;
  fetchDeadLetterQueue: sst.aws.Queue;
}

function seconds(value: number) {
  return `${value} seconds` as const;
}

/** A queue and its dead-letter queue, as QueueSettings describes them. */
function queueWithDlq(name: string, settings: QueueSettings) {
  const deadLetterQueue = new sst.aws.Queue(`${name}Dlq`, {
    // The DLQ may have a subscriber with the main handler's timeout: same visibility timeout.
    visibilityTimeout: seconds(settings.visibilityTimeoutSeconds),
    transform: { queue: { messageRetentionSeconds: settings.dlqRetentionSeconds } },
  });
  const queue = new sst.aws.Queue(name, {
    visibilityTimeout: seconds(settings.visibilityTimeoutSeconds),
    dlq: { queue: deadLetterQueue.arn, retry: settings.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

function batch(settings: QueueSettings) {
  return { batch: { size: settings.batchSize, partialResponses: true } };
}

export function createIngest(storage: Storage): Ingest {
  const row = queueWithDlq(RESOURCES.rowQueue, QUEUES.rowQueue);
  const fetch = queueWithDlq(RESOURCES.fetchQueue, QUEUES.fetchQueue);

  // Resources every function reads through core/config.ts (loadConfig needs all of them linked).
  const link = [storage.table, storage.bucket, row.queue, fetch.queue, storage.adminKey];

  for (const [key, pair] of [["rowQueue", row], ["fetchQueue", fetch]] as const) {
    const consumers = QUEUE_CONSUMERS[key];
    pair.queue.subscribe(functionArgs(consumers.handler, HANDLERS[consumers.handler], link), batch(QUEUES[key]));
    pair.deadLetterQueue.subscribe(functionArgs(consumers.deadLetters, HANDLERS[consumers.deadLetters], link), batch(QUEUES[key]));
  }

  storage.bucket.notify({
    notifications: [
      {
        name: "InventoryDrop",
        function: functionArgs("inventoryFile", HANDLERS.inventoryFile, link),
        filterPrefix: INVENTORY_DROP.prefix,
        filterSuffix: INVENTORY_DROP.suffix,
        events: [...INVENTORY_DROP.events],
      },
    ],
  });

  return {
    rowQueue: row.queue,
    rowDeadLetterQueue: row.deadLetterQueue,
    fetchQueue: fetch.queue,
    fetchDeadLetterQueue: fetch.deadLetterQueue,
  };
}
