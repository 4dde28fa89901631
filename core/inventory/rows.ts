/**
 * Applying one chunk of rows (the row queue's message). Exactly-once where it counts:
 * - stock: each row's replace is conditioned on its position (batch time, batch id, row), so a
 *   redelivered row is a no-op and, for a SKU in several rows, the last row wins in any order;
 * - row status: written whole, the same way on every delivery (idempotent puts); a row's item
 *   is also its stock-ledger entry (gsi1), so the ledger costs no extra write;
 * - counters: added in one transaction with the chunk's marker item, so at most once per chunk.
 * A chunk whose batch was aborted (or is unknown/finished) is dropped without touching stock.
 */
import type { Deps } from "../deps.ts";
import { inventoryKeys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { getBins, getWarehouse, UNASSIGNED_BIN, type Warehouse } from "../catalog/warehouses.ts";
import { ledgerIndex, position, replaceStock, stockedSkus, storedPosition, type LedgerEntry } from "../catalog/stock.ts";
import { createHash } from "node:crypto";
import { chunkCounted, countChunk, finishIfComplete, getBatch, type Batch } from "./batches.ts";
import type { CsvRow } from "./csv.ts";

export interface ChunkMessage {
  v: 1;
  orgId: number;
  batchId: string;
  chunk: number;
  rows: CsvRow[];
}

export type RowStatus = "success" | "error";

export interface SyncRow {
  id: string;
  batchId: string;
  row: number;
  sku: string;
  quantity: number | null;
  action: string;
  reason: string;
  location: string | null;
  status: RowStatus;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export function rowOf(item: Record<string, unknown>): SyncRow {
  return {
    id: item.id as string,
    batchId: item.batchId as string,
    row: item.row as number,
    sku: item.sku as string,
    quantity: (item.quantity as number | null | undefined) ?? null,
    action: item.action as string,
    reason: item.reason as string,
    location: (item.location as string | null | undefined) ?? null,
    status: item.status as RowStatus,
    error: (item.error as string | null | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/** Only `replace` changes stock; `change` is its legacy synonym, as the seed's rows use it (I-13). */
const ACTIONS = new Set(["replace", "change"]);
const QUANTITY = /^\d{1,9}$/;

/** A row's static checks (no reads): the message, or null when the row may be applied. */
export function rowProblem(row: CsvRow, warehouse: Warehouse): string | null {
  if (row.error) return row.error;
  if (!row.sku) return "sku is empty";
  if (!QUANTITY.test(row.quantity)) return `quantity "${row.quantity.slice(0, 40)}" is not a non-negative integer`;
  if (!ACTIONS.has(row.action.toLowerCase())) return `action "${row.action.slice(0, 40)}" is not supported: only replace is supported for action`;
  if (row.location && warehouse.slotting === "static") return `location is only allowed for dynamic slotting (warehouse ${toWarehouseLabel(warehouse)} uses static slotting)`;
  return null;
}

const toWarehouseLabel = (w: Warehouse) => `"${w.name}"`;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Deterministic row id: 24 hex, the batch's time prefix + a hash of (batch, row), so redeliveries reuse it. */
export const rowId = (batchId: string, row: number) => batchId.slice(0, 8) + createHash("sha1").update(`${batchId}#${row}`).digest("hex").slice(0, 16);

export async function processChunk(deps: Deps, msg: ChunkMessage, opts: { concurrency?: number } = {}): Promise<"applied" | "skipped"> {
  const [batch, warehouse] = await loadContext(deps, msg);
  if (!batch || !warehouse || batch.status !== "processing") return "skipped";
  // A chunk counted before was fully applied (rows are written before the count): nothing to redo.
  if (await chunkCounted(deps, msg.orgId, batch.id, msg.chunk)) return "skipped";

  const codes = msg.rows.filter((r) => !r.error && r.sku).map((r) => r.sku);
  const stocked = await stockedSkus(deps, msg.orgId, warehouse.id, codes);
  const bins = warehouse.slotting === "dynamic" ? await getBins(deps, msg.orgId, warehouse.id, msg.rows.map((r) => r.location ?? UNASSIGNED_BIN)) : new Map();
  const now = deps.now().toISOString();
  const items: Record<string, unknown>[] = [];
  let success = 0;
  let errors = 0;

  await pool(msg.rows, opts.concurrency ?? 16, async (row) => {
    let problem = rowProblem(row, warehouse);
    if (!problem && !stocked.has(row.sku)) problem = `SKU ${row.sku} does not exist or is not available in warehouse ${toWarehouseLabel(warehouse)}`;
    const bin = warehouse.slotting === "dynamic" ? (row.location ?? UNASSIGNED_BIN) : null;
    if (!problem && bin && !bins.has(bin)) problem = `location ${bin} does not exist in warehouse ${toWarehouseLabel(warehouse)}`;
    let ledger: LedgerEntry | undefined;
    if (!problem) {
      const quantity = Number(row.quantity);
      const pos = position(batch.createdAt, batch.id, row.row);
      const outcome = await replaceStock(deps, { orgId: msg.orgId, warehouse, sku: row.sku, bin, quantity, pos, at: now });
      let delta = 0;
      let onHand = quantity;
      if (outcome.applied) delta = outcome.onHand - outcome.previous;
      else {
        // Either this row was applied by an earlier delivery (same position) or a later row of
        // the same SKU already won; the first keeps its recorded delta, the second changed nothing.
        const stored = await storedPosition(deps, msg.orgId, warehouse, row.sku, bin);
        if (stored?.pos === pos) delta = (stored.onHand ?? 0) - (stored.prevOnHand ?? 0);
        else onHand = stored?.onHand ?? quantity;
      }
      ledger = { sku: row.sku, warehouseId: warehouse.id, bin, delta, onHand, reason: row.reason, source: `inventory_sync:${batch.id}:${row.row}`, at: now };
    }
    if (problem) errors++;
    else success++;
    items.push(rowItem(msg, batch, row, problem, ledger, now));
  });

  await deps.db.batchPut(items);
  await countChunk(deps, msg.orgId, batch.id, msg.chunk, { success, error: errors });
  await finishIfComplete(deps, msg.orgId, batch.id);
  return "applied";
}

function rowItem(msg: ChunkMessage, batch: Batch, row: CsvRow, problem: string | null, ledger: LedgerEntry | undefined, now: string): Record<string, unknown> {
  const quantity = QUANTITY.test(row.quantity) ? Number(row.quantity) : null;
  return {
    ...inventoryKeys.row(msg.orgId, batch.id, row.row),
    ...(ledger ? ledgerIndex(msg.orgId, batch.warehouseId, row.sku, now, `${batch.id}#${row.row}`) : {}),
    type: "InventorySyncRow",
    id: rowId(batch.id, row.row),
    batchId: batch.id,
    chunk: msg.chunk,
    row: row.row,
    sku: row.sku,
    quantity,
    action: row.action,
    reason: row.reason,
    location: row.location,
    status: problem ? "error" : "success",
    error: problem,
    ...(ledger ? { ledger } : {}),
    createdAt: now,
    updatedAt: now,
  };
}

async function loadContext(deps: Deps, msg: ChunkMessage): Promise<[Batch | undefined, Warehouse | undefined]> {
  const batch = await getBatch(deps, msg.orgId, msg.batchId);
  if (!batch) return [undefined, undefined];
  return [batch, await getWarehouse(deps, msg.orgId, batch.warehouseId)];
}

export const DEAD_CHUNK_ERROR = "the row could not be processed (its chunk failed repeatedly and was dead-lettered)";

/**
 * A chunk that reached the dead-letter queue: its rows without a status are reported as errors
 * (rows a failed attempt did finish keep theirs), then the chunk is counted once, so the batch
 * finishes. An aborted batch's dead chunks change nothing.
 */
export async function reportDeadChunk(deps: Deps, msg: ChunkMessage): Promise<void> {
  const batch = await getBatch(deps, msg.orgId, msg.batchId);
  if (!batch || batch.status !== "processing") return;
  const now = deps.now().toISOString();
  for (const row of msg.rows) {
    try {
      await deps.db.put(
        {
          ...inventoryKeys.row(msg.orgId, batch.id, row.row),
          type: "InventorySyncRow",
          id: rowId(batch.id, row.row),
          batchId: batch.id,
          chunk: msg.chunk,
          row: row.row,
          sku: row.sku,
          quantity: QUANTITY.test(row.quantity) ? Number(row.quantity) : null,
          action: row.action,
          reason: row.reason,
          location: row.location,
          status: "error",
          error: DEAD_CHUNK_ERROR,
          createdAt: now,
          updatedAt: now,
        },
        { condition: "attribute_not_exists(pk)" },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  const rows = msg.rows.length
    ? await deps.db.queryAll({
        pk: inventoryKeys.rowsPk(msg.orgId, batch.id),
        skBetween: [inventoryKeys.row(msg.orgId, batch.id, msg.rows[0]!.row).sk, inventoryKeys.row(msg.orgId, batch.id, msg.rows.at(-1)!.row).sk],
        consistent: true,
        attributes: ["status", "chunk"],
      })
    : [];
  const mine = rows.filter((r) => r.chunk === msg.chunk);
  const success = mine.filter((r) => r.status === "success").length;
  await countChunk(deps, msg.orgId, batch.id, msg.chunk, { success, error: mine.length - success });
  await finishIfComplete(deps, msg.orgId, batch.id);
}

/** Rows of a batch in row order, one page (`after` = the last row number seen). */
export async function listRows(deps: Deps, orgId: number, batchId: string, page: { first: number; after?: number; status?: string }): Promise<{ rows: SyncRow[]; hasNextPage: boolean }> {
  const pk = inventoryKeys.rowsPk(orgId, batchId);
  const want = page.first + 1;
  const out: SyncRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const res = await deps.db.query({
      pk,
      ...(page.after !== undefined ? { skBetween: [inventoryKeys.row(orgId, batchId, page.after + 1).sk, "R#\uffff"] as [string, string] } : { skBeginsWith: "R#" }),
      limit: want,
      startKey,
      ...(page.status ? { filter: { expression: "#st = :st", names: { "#st": "status" }, values: { ":st": page.status } } } : {}),
    });
    out.push(...res.items.map(rowOf));
    startKey = res.lastKey;
  } while (startKey && out.length < want);
  return { rows: out.slice(0, page.first), hasNextPage: out.length > page.first };
}
