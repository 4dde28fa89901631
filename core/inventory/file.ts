/**
 * The file side of a batch (S3 ObjectCreated → here): find or start the batch, stream the CSV,
 * and queue its rows in chunks to the row queue. Memory stays flat: rows are read with
 * backpressure and at most one send-batch of chunks is held at a time.
 *
 * A file without batch metadata (a drop) gets a batch whose id is derived from the object (key,
 * ETag, sequencer) and the event time, so a redelivered S3 event continues the same batch
 * instead of starting a second one. A redelivered event re-queues chunks; their markers and
 * positioned stock writes make that harmless.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { Readable } from "node:stream";
import type { Deps } from "../deps.ts";
import { getOrganization } from "../auth/organizations.ts";
import { getWarehouse } from "../catalog/warehouses.ts";
import { createBatch, failBatch, finishIfComplete, getBatch, markProcessing, recordParsed, TERMINAL, type Batch } from "./batches.ts";
import { CsvFileError, readInventoryCsv, type CsvRow } from "./csv.ts";
import { BATCH_METADATA, moveAside, parseDropKey } from "./drop.ts";
import type { ChunkMessage } from "./rows.ts";
import { QuantityRuns } from "./runs.ts";

/** Rows per row-queue message. */
export const CHUNK_ROWS = chunkRowsFrom(process.env.INVENTORY_CHUNK_ROWS);

/**
 * INVENTORY_CHUNK_ROWS, checked: at most 100 rows per chunk keeps a message under SQS's 256 KB and
 * a chunk's status item under DynamoDB's 400 KB even when every field is 255 characters long.
 */
export function chunkRowsFrom(value: string | undefined): number {
  const rows = value === undefined || value.trim() === "" ? 100 : Number(value);
  if (!Number.isInteger(rows) || rows < 1 || rows > 100) throw new Error(`INVENTORY_CHUNK_ROWS must be an integer from 1 to 100 (got "${value}")`);
  return rows;
}
/** SQS limits: 10 entries and 256 KiB per SendMessageBatch. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 200 * 1024;

export interface FileEvent {
  bucket: string;
  key: string;
  eTag?: string;
  sequencer?: string;
  eventTime?: string;
}

export type FileOutcome =
  | { result: "queued"; batchId: string; totalCount: number; chunks: number }
  | { result: "rejected"; reason: string; movedTo?: string }
  | { result: "failed"; batchId: string; error: string }
  | { result: "skipped"; batchId: string; status: string };

const log = (msg: string, data: Record<string, unknown>) => console.log(JSON.stringify({ level: "info", area: "inventory-file", msg, ...data }));

/** A drop's batch id: 8 hex of the event time (so created_at matches, I-16) + 16 hex of the object's identity. */
export function dropBatchId(event: FileEvent, at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000).toString(16).padStart(8, "0");
  const identity = createHash("sha256").update(`${event.bucket}\n${event.key}\n${event.eTag ?? ""}\n${event.sequencer ?? ""}`).digest("hex");
  return seconds + identity.slice(0, 16);
}

export async function processFile(deps: Deps, event: FileEvent, opts: { chunkRows?: number } = {}): Promise<FileOutcome> {
  const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
  const parsed = parseDropKey(event.key);
  if ("problem" in parsed) return reject(deps, event, parsed.problem);
  const [org, warehouse] = await Promise.all([getOrganization(deps, parsed.orgId), getWarehouse(deps, parsed.orgId, parsed.warehouseId)]);
  if (!org) return reject(deps, event, `organization ${parsed.orgId} does not exist`);
  if (!warehouse) return reject(deps, event, `warehouse ${parsed.warehouseId} does not exist in organization ${parsed.orgId}`);

  let object;
  try {
    object = await deps.s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  } catch (error) {
    // Deleted (or moved aside) since the event was sent: nothing to process.
    if ((error as { name?: string }).name === "NoSuchKey") return { result: "rejected", reason: `object ${event.key} no longer exists` };
    throw error;
  }
  const body = object.Body as Readable;
  const metaBatch = object.Metadata?.[BATCH_METADATA];
  let batch: Batch | undefined;
  if (metaBatch) {
    batch = await getBatch(deps, org.id, metaBatch);
    if (!batch || batch.warehouseId !== warehouse.id) {
      body.destroy();
      return reject(deps, event, `batch ${metaBatch} of the file's metadata is not a batch of warehouse ${warehouse.id}`);
    }
  } else {
    const at = event.eventTime ? new Date(event.eventTime) : deps.now();
    const when = Number.isNaN(at.getTime()) ? deps.now() : at;
    const id = dropBatchId({ ...event, eTag: event.eTag ?? object.ETag }, when);
    ({ batch } = await createBatch(deps, { id, createdAt: when.toISOString(), orgId: org.id, warehouseId: warehouse.id, userId: null, url: `s3://${event.bucket}/${event.key}`, source: "s3", objectKey: event.key }));
  }
  if (TERMINAL.includes(batch.status) || !(await markProcessing(deps, batch, event.key))) {
    body.destroy();
    return { result: "skipped", batchId: batch.id, status: batch.status };
  }

  let total = 0;
  let chunkIndex = 0;
  let rows: CsvRow[] = [];
  let pending: ChunkMessage[] = [];
  let stopped = false;
  const runs = new QuantityRuns(warehouse.slotting);
  const flushMessages = async () => {
    if (!pending.length) return;
    await sendChunks(deps, pending);
    pending = [];
    // Progress doubles as the abort check: an aborted batch stops the reader.
    if (!(await recordParsed(deps, org.id, batch.id, total, false))) stopped = true;
  };
  try {
    for await (const row of readInventoryCsv(body)) {
      total++;
      const since = runs.next(row);
      if (since !== undefined) row.since = since;
      rows.push(row);
      if (rows.length === chunkRows) {
        pending.push({ v: 1, orgId: org.id, batchId: batch.id, chunk: chunkIndex++, rows });
        rows = [];
        if (pending.length === MAX_BATCH_ENTRIES) await flushMessages();
        if (stopped) break;
      }
    }
    if (!stopped) {
      if (rows.length) pending.push({ v: 1, orgId: org.id, batchId: batch.id, chunk: chunkIndex++, rows });
      await flushMessages();
    }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    await failBatch(deps, org.id, batch.id, error.message);
    log("file rejected", { batchId: batch.id, key: event.key, error: error.message });
    return { result: "failed", batchId: batch.id, error: error.message };
  }
  if (stopped) return { result: "skipped", batchId: batch.id, status: "aborted" };
  if (total === 0) {
    await failBatch(deps, org.id, batch.id, "the file has a header but no data rows");
    return { result: "failed", batchId: batch.id, error: "the file has a header but no data rows" };
  }
  await recordParsed(deps, org.id, batch.id, total, true);
  await finishIfComplete(deps, org.id, batch.id);
  log("file queued", { batchId: batch.id, key: event.key, totalCount: total, chunks: chunkIndex });
  return { result: "queued", batchId: batch.id, totalCount: total, chunks: chunkIndex };
}

async function reject(deps: Deps, event: FileEvent, reason: string): Promise<FileOutcome> {
  let movedTo: string | undefined;
  try {
    movedTo = await moveAside(deps, event.bucket, event.key);
  } catch (error) {
    // Already moved by an earlier delivery of the same event.
    if ((error as { name?: string }).name !== "NoSuchKey") throw error;
  }
  console.warn(JSON.stringify({ level: "warn", area: "inventory-file", msg: "drop rejected, moved aside", key: event.key, reason, movedTo }));
  return { result: "rejected", reason, movedTo };
}

/** Sends chunk messages, packing SendMessageBatch calls under the SQS size limit. */
export async function sendChunks(deps: Deps, messages: ChunkMessage[]): Promise<void> {
  let entries: Array<{ Id: string; MessageBody: string }> = [];
  let bytes = 0;
  const flush = async () => {
    let request = entries;
    for (let attempt = 0; request.length; attempt++) {
      const out = await deps.sqs.send(new SendMessageBatchCommand({ QueueUrl: deps.config.rowQueueUrl, Entries: request }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      if (failed.size && attempt >= 4) throw new Error(`could not queue ${failed.size} chunk(s): ${out.Failed?.[0]?.Message}`);
      request = request.filter((e) => failed.has(e.Id));
      if (request.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
    entries = [];
    bytes = 0;
  };
  for (const msg of messages) {
    const body = JSON.stringify(msg);
    if (entries.length && (entries.length === MAX_BATCH_ENTRIES || bytes + body.length > MAX_BATCH_BYTES)) await flush();
    entries.push({ Id: `c${msg.chunk}`, MessageBody: body });
    bytes += Buffer.byteLength(body);
  }
  if (entries.length) await flush();
}
