/**
 * Row statuses of a sync batch, stored one item per chunk: the chunk's item (`C#<first row>` in
 * the batch's partition) holds the status of each of its rows, in row order. It is written once,
 * in the transaction that adds the chunk's counts to the batch, so it doubles as the chunk's
 * "counted" marker: a chunk is counted at most once and its rows appear all together, with the
 * counts they add up to.
 *
 * Why one item per chunk and not per row: a row item cost a write request and a write unit per
 * row; a chunk's statuses (~13 KB for 100 rows) cost one item in the chunk's transaction. Rows that
 * changed stock are also ledger entries, which are items of their own (core/catalog/stock.ts
 * ledgerItem): the ledger is queried per SKU, across batches, through gsi1.
 */
import { createHash } from "node:crypto";
import type { Deps } from "../deps.ts";
import { inventoryKeys } from "../db/keys.ts";

export type RowStatus = "success" | "error";

/** One row as stored in its chunk's item (the batch id, row id and times come from the item). */
export interface StoredRow {
  row: number;
  sku: string;
  quantity: number | null;
  action: string;
  reason: string;
  location: string | null;
  status: RowStatus;
  error: string | null;
}

/** A row as the API shows it. */
export interface SyncRow extends StoredRow {
  id: string;
  batchId: string;
  createdAt: string;
  updatedAt: string;
}

/** Deterministic row id: 24 hex, the batch's time prefix + a hash of (batch, row), so redeliveries reuse it. */
export const rowId = (batchId: string, row: number) => batchId.slice(0, 8) + createHash("sha1").update(`${batchId}#${row}`).digest("hex").slice(0, 16);

/**
 * The item holding a chunk's row statuses (rows in row order, at least one). A row's created_at is
 * its batch's (the row exists from the upload on, as in the seed's example), its updated_at the
 * time its chunk ran.
 */
export function chunkStatusItem(orgId: number, batch: { id: string; createdAt: string }, chunk: number, rows: StoredRow[], at: string): Record<string, unknown> {
  const batchId = batch.id;
  const errorCount = rows.filter((r) => r.status === "error").length;
  return {
    ...inventoryKeys.chunk(orgId, batchId, rows[0]!.row),
    type: "InventorySyncChunk",
    batchId,
    chunk,
    firstRow: rows[0]!.row,
    lastRow: rows.at(-1)!.row,
    successCount: rows.length - errorCount,
    errorCount,
    rows,
    batchCreatedAt: batch.createdAt,
    updatedAt: at,
  };
}

/** The counts a chunk item adds to its batch. */
export const chunkCounts = (item: Record<string, unknown>) => ({ success: item.successCount as number, error: item.errorCount as number });

function rowsOf(item: Record<string, unknown>): SyncRow[] {
  const batchId = item.batchId as string;
  // A counted-chunk marker of the earlier per-row format (local data folders from before) holds no rows.
  if (!Array.isArray(item.rows)) return [];
  return (item.rows as StoredRow[]).map((r) => ({
    ...r,
    id: rowId(batchId, r.row),
    batchId,
    createdAt: item.batchCreatedAt as string,
    updatedAt: item.updatedAt as string,
  }));
}

/** Chunk items the first Query reads when not filtering (100 rows span one or two chunks); each further Query reads twice as many. */
const FIRST_CHUNKS = 3;

/**
 * Rows of a batch in row order, one page (`after` = the last row number seen). Reads the chunk
 * holding row `after + 1` (found by one small backward Query) and the chunks after it; a status
 * filter skips, on the server, the chunks without a row of that status.
 */
export async function listRows(deps: Deps, orgId: number, batchId: string, page: { first: number; after?: number; status?: string }): Promise<{ rows: SyncRow[]; hasNextPage: boolean }> {
  const pk = inventoryKeys.rowsPk(orgId, batchId);
  const from = (page.after ?? 0) + 1;
  const want = page.first + 1;
  const startSk = await chunkHolding(deps, orgId, batchId, from);
  const countField = page.status === "error" ? "errorCount" : page.status === "success" ? "successCount" : undefined;
  const out: SyncRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  let chunks = FIRST_CHUNKS;
  do {
    const res = await deps.db.query({
      pk,
      skBetween: [startSk, "C#\uffff"],
      // A filter reads past chunks it drops, so let the page run to DynamoDB's size limit.
      limit: countField ? undefined : chunks,
      startKey,
      ...(countField ? { filter: { expression: "#c > :zero", names: { "#c": countField }, values: { ":zero": 0 } } } : {}),
    });
    for (const item of res.items) out.push(...rowsOf(item).filter((r) => r.row >= from && (!page.status || r.status === page.status)));
    startKey = res.lastKey;
    chunks = Math.min(chunks * 2, 100);
  } while (startKey && out.length < want);
  return { rows: out.slice(0, page.first), hasNextPage: out.length > page.first };
}

/** Sort key to start reading at: the chunk whose first row is the last one ≤ `row` (or the first chunk). */
async function chunkHolding(deps: Deps, orgId: number, batchId: string, row: number): Promise<string> {
  const at = inventoryKeys.chunk(orgId, batchId, row).sk;
  if (row <= 1) return "C#";
  const res = await deps.db.query({ pk: inventoryKeys.rowsPk(orgId, batchId), skBetween: ["C#", at], forward: false, limit: 1, attributes: ["firstRow"] });
  return (res.items[0]?.sk as string | undefined) ?? "C#";
}

/** A chunk's item if it was counted (consistent read), else undefined. */
export async function getChunkStatus(deps: Deps, orgId: number, batchId: string, firstRow: number): Promise<Record<string, unknown> | undefined> {
  return deps.db.get(inventoryKeys.chunk(orgId, batchId, firstRow), { consistent: true });
}
