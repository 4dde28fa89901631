/**
 * Applying one chunk of rows (the row queue's message). Exactly-once where it counts:
 * - stock: each row's replace is conditioned on the item as read and positioned (batch time, batch id, row), so a
 *   redelivered row is a no-op and, for a SKU in several rows, the last row wins in any order;
 * - row status: written whole, the same way on every delivery (idempotent puts); a row that
 *   changed stock is also its stock-ledger entry (gsi1), so the ledger costs no extra write;
 * - counters: added in one transaction with the chunk's marker item, so at most once per chunk.
 * A chunk whose batch was aborted (or is unknown/finished) is dropped without touching stock.
 */
import type { Deps } from "../deps.ts";
import { catalogKeys, inventoryKeys } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { getWarehouse, UNASSIGNED_BIN, type Warehouse } from "../catalog/warehouses.ts";
import { ledgerAttributes, ledgerIndex, position, quantityKey, replaceMany, type LedgerEntry, type Replacement } from "../catalog/stock.ts";
import { createHash } from "node:crypto";
import { batchOf, countChunk, finishIfComplete, getBatch, type Batch } from "./batches.ts";
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

/** Deterministic row id: 24 hex, the batch's time prefix + a hash of (batch, row), so redeliveries reuse it. */
export const rowId = (batchId: string, row: number) => batchId.slice(0, 8) + createHash("sha1").update(`${batchId}#${row}`).digest("hex").slice(0, 16);

const keyId = (k: { pk: unknown; sk: unknown }) => `${k.pk}\u0000${k.sk}`;

/**
 * Applies one chunk in a handful of requests: one BatchGetItem for the batch, the chunk marker and
 * the warehouse; one (per 100 keys) for the SKUs' levels, bins and current quantities; a
 * conditional PutItem per stock item written (replaceMany); BatchWriteItem for the row items; one
 * transaction for the counters.
 */
export async function processChunk(deps: Deps, msg: ChunkMessage): Promise<"applied" | "skipped"> {
  const batchKey = inventoryKeys.batch(msg.orgId, msg.batchId);
  const markerKey = inventoryKeys.chunk(msg.orgId, msg.batchId, msg.chunk);
  const head = new Map((await deps.db.batchGet([batchKey, markerKey], { consistent: true })).map((i) => [keyId(i as never), i]));
  const batchItem = head.get(keyId(batchKey));
  // Unknown, not processing (aborted, finished) or already counted (fully applied before): nothing to do.
  if (!batchItem || head.has(keyId(markerKey))) return "skipped";
  const batch = batchOf(batchItem);
  if (batch.status !== "processing") return "skipped";
  const warehouse = await getWarehouse(deps, msg.orgId, batch.warehouseId);
  if (!warehouse) return "skipped";

  const label = toWarehouseLabel(warehouse);
  const problems = new Map<CsvRow, string>();
  for (const row of msg.rows) {
    const problem = rowProblem(row, warehouse);
    if (problem) problems.set(row, problem);
  }
  const candidates = msg.rows.filter((r) => !problems.has(r));
  const binOf = (r: CsvRow) => (warehouse.slotting === "dynamic" ? (r.location ?? UNASSIGNED_BIN) : null);
  // One read for "is the SKU stocked here", "does the bin exist" and "what is stored now".
  const keys = candidates.flatMap((r) => [
    catalogKeys.stock(msg.orgId, warehouse.id, r.sku),
    ...(warehouse.slotting === "dynamic" ? [catalogKeys.bin(msg.orgId, warehouse.id, binOf(r)!), quantityKey(msg.orgId, warehouse, r.sku, binOf(r))] : []),
  ]);
  const found = new Map((keys.length ? await deps.db.batchGet(keys, { consistent: true }) : []).map((i) => [keyId(i as never), i]));
  for (const r of candidates) {
    if (!found.has(keyId(catalogKeys.stock(msg.orgId, warehouse.id, r.sku)))) problems.set(r, `SKU ${r.sku} does not exist or is not available in warehouse ${label}`);
    else if (warehouse.slotting === "dynamic" && !found.has(keyId(catalogKeys.bin(msg.orgId, warehouse.id, binOf(r)!)))) problems.set(r, `location ${binOf(r)} does not exist in warehouse ${label}`);
  }

  // The last row of the chunk per stock item is its writer; earlier rows are superseded by it.
  const valid = msg.rows.filter((r) => !problems.has(r));
  const writers = new Map<string, { row: CsvRow; replacement: Replacement }>();
  for (const row of valid) {
    const key = keyId(quantityKey(msg.orgId, warehouse, row.sku, binOf(row)));
    writers.set(key, { row, replacement: { sku: row.sku, bin: binOf(row), quantity: Number(row.quantity), pos: position(batch.createdAt, batch.id, row.row) } });
  }
  const known = new Map([...writers.keys()].map((k) => [k, found.get(k) ?? {}]));
  const now = deps.now().toISOString();
  const outcomes = await replaceMany(deps, msg.orgId, warehouse, [...writers.values()].map((w) => w.replacement), now, known);
  const byRow = new Map<CsvRow, LedgerEntry>();
  for (const { row, replacement } of writers.values()) {
    const o = outcomes.get(replacement)!;
    byRow.set(row, { sku: row.sku, warehouseId: warehouse.id, bin: replacement.bin, delta: o.delta, onHand: o.onHand, reason: row.reason, source: `inventory_sync:${batch.id}:${row.row}`, at: now });
  }
  for (const row of valid) {
    if (byRow.has(row)) continue;
    const writer = writers.get(keyId(quantityKey(msg.orgId, warehouse, row.sku, binOf(row))))!;
    byRow.set(row, { sku: row.sku, warehouseId: warehouse.id, bin: binOf(row), delta: 0, onHand: outcomes.get(writer.replacement)!.onHand, reason: row.reason, source: `inventory_sync:${batch.id}:${row.row}`, at: now });
  }

  await deps.db.batchPut(msg.rows.map((row) => rowItem(msg, batch, row, problems.get(row) ?? null, byRow.get(row), now)));
  const errors = problems.size;
  await countChunk(deps, msg.orgId, batch.id, msg.chunk, { success: msg.rows.length - errors, error: errors });
  await finishIfComplete(deps, msg.orgId, batch.id);
  return "applied";
}

function rowItem(msg: ChunkMessage, batch: Batch, row: CsvRow, problem: string | null, ledger: LedgerEntry | undefined, now: string): Record<string, unknown> {
  const quantity = QUANTITY.test(row.quantity) ? Number(row.quantity) : null;
  return {
    ...inventoryKeys.row(msg.orgId, batch.id, row.row),
    // In the SKU's ledger only when it changed stock: a replace with the stored quantity, or one
    // superseded by a later row, is no change (its delta, 0, stays on the row).
    ...(ledger && ledger.delta !== 0 ? ledgerIndex(msg.orgId, batch.warehouseId, row.sku, now, `${batch.id}#${row.row}`) : {}),
    ...(ledger ? ledgerAttributes(ledger) : {}),
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
    createdAt: now,
    updatedAt: now,
  };
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
        rowItem(msg, batch, row, DEAD_CHUNK_ERROR, undefined, now),
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
