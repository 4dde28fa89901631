/**
 * One source of truth for what the cloud stack (stacks/*.ts, SST) and the local host
 * (stacks/local/*) both build: the table's key schema and indexes, the bucket's event filter,
 * the queues' settings and the handler paths. Pure data: no SST or AWS SDK imports, so the
 * local host, the tests and `sst.config.ts` can all import it.
 */
import { TABLE } from "../core/db/table-definition.ts";

export { TABLE };

/** Resource names as `Resource.<Name>` exposes them (SST `link`), and as the local host sets them. */
export const RESOURCES = {
  table: "Table",
  bucket: "InventoryBucket",
  rowQueue: "InventoryRowQueue",
  fetchQueue: "InventoryFetchQueue",
  adminKey: "AdminApiKey",
} as const;

/** Lambda entry points, relative to the repository root (SST `handler` strings). */
export const HANDLERS = {
  graphql: "functions/graphql.handler",
  inventoryFile: "functions/inventory-file.handler",
  inventoryRows: "functions/inventory-rows.handler",
  inventoryFetch: "functions/inventory-fetch.handler",
} as const;

/** Routes of the HTTP API, all served by HANDLERS.graphql (cloud: API Gateway v2; local: node:http). */
export const API_ROUTES = ["POST /graphql", "GET /graphql", "GET /health"] as const;

/** Object-created events for these keys start an inventory sync batch. */
export const INVENTORY_DROP = {
  prefix: "inventory/",
  suffix: ".csv",
  events: ["s3:ObjectCreated:*"],
} as const;

export interface QueueSettings {
  /** Seconds a received message stays invisible before it is redelivered. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue (RedrivePolicy maxReceiveCount). */
  maxReceiveCount: number;
  /** Messages handed to one handler invocation (event source mapping BatchSize). */
  batchSize: number;
  /** Dead-letter queue retention. */
  dlqRetentionSeconds: number;
  /** Handler timeout; must stay below the visibility timeout. */
  handlerTimeoutSeconds: number;
}

export const QUEUES: Record<"rowQueue" | "fetchQueue", QueueSettings> = {
  // Row chunks: short work, so a failed chunk is retried quickly, three times, then dead-lettered
  // (its rows are then reported as errors by the DLQ consumer so the batch still finishes).
  rowQueue: {
    visibilityTimeoutSeconds: 60,
    maxReceiveCount: 3,
    batchSize: 10,
    dlqRetentionSeconds: 14 * 24 * 3600,
    handlerTimeoutSeconds: 50,
  },
  // URL downloads: one file per message, up to the download time limit.
  fetchQueue: {
    visibilityTimeoutSeconds: 330,
    maxReceiveCount: 2,
    batchSize: 1,
    dlqRetentionSeconds: 14 * 24 * 3600,
    handlerTimeoutSeconds: 300,
  },
};

/**
 * Which handler consumes each queue and its dead-letter queue (the event source mappings). A
 * handler tells a dead-lettered record by its eventSourceARN and ends the work it carried: a dead
 * row chunk's rows become row errors, a dead download ends its batch in error.
 */
export const QUEUE_CONSUMERS: Record<keyof typeof QUEUES, { handler: keyof typeof HANDLERS; deadLetters: keyof typeof HANDLERS }> = {
  rowQueue: { handler: "inventoryRows", deadLetters: "inventoryRows" },
  fetchQueue: { handler: "inventoryFetch", deadLetters: "inventoryFetch" },
};

/** Memory and timeout of each function (the local host has no limits of its own). */
export const FUNCTIONS = {
  graphql: { memoryMB: 1024, timeoutSeconds: 29, v8Flags: "" },
  // The file handler streams files of any size: a bounded heap and a small young generation keep
  // its memory flat (docs/performance.md measures it with these flags).
  inventoryFile: { memoryMB: 512, timeoutSeconds: 900, v8Flags: "--max-old-space-size=192 --max-semi-space-size=4" },
  inventoryRows: { memoryMB: 512, timeoutSeconds: QUEUES.rowQueue.handlerTimeoutSeconds, v8Flags: "" },
  inventoryFetch: { memoryMB: 512, timeoutSeconds: QUEUES.fetchQueue.handlerTimeoutSeconds, v8Flags: "" },
} as const;

/**
 * The source file of an SST handler string, relative to the repository root, as the local host
 * imports it: "functions/graphql.handler" → "functions/graphql.ts" (the last dot-segment names
 * the exported function).
 */
export function handlerFile(handler: string): string {
  const dot = handler.lastIndexOf(".");
  const slash = handler.lastIndexOf("/");
  if (dot <= slash + 1) throw new Error(`handler ${handler} does not name an export (file.export)`);
  return `${handler.slice(0, dot)}.ts`;
}
