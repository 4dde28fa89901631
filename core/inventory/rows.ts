/**
 * Applying one chunk of rows (the row queue's message). Exactly-once where it counts:
 * - stock: each row's replace is conditioned on the item as read and positioned (batch time, batch id, row), so a
 *   redelivered row is a no-op and, for a SKU in several rows, the last row wins in any order;
 * - ledger: a row that changed stock gets a ledger entry item, the same on every delivery (idempotent puts);
 * - row statuses and counters: the chunk's status item (row-status.ts) and the batch's counters are
 *   written in one transaction, so a chunk is counted at most once and its rows appear with their counts.
 * A chunk whose batch was aborted (or is unknown/finished) is dropped without touching stock.
 */
import type { Deps } from "../deps.ts";
import { catalogKeys, inventoryKeys } from "../db/keys.ts";
import { getWarehouse, type Warehouse } from "../catalog/warehouses.ts";
import { ledgerItem, position, quantityKey, replaceMany, type LedgerEntry, type Replacement } from "../catalog/stock.ts";
import { batchOf, countChunk, finishIfComplete, getBatch, type Batch } from "./batches.ts";
import { chunkStatusItem, getChunkStatus, type StoredRow } from "./row-status.ts";
import type { CsvRow } from "./csv.ts";
import { binOfRow } from "./runs.ts";

export interface ChunkMessage {
  v: 1;
  orgId: number;
  batchId: string;
  chunk: number;
  rows: CsvRow[];
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

const keyId = (k: { pk: unknown; sk: unknown }) => `${k.pk}\u0000${k.sk}`;

/**
 * Applies one chunk in a handful of requests: one BatchGetItem for the batch and the chunk's status
 * item; the warehouse; one BatchGetItem (per 100 keys) for the SKUs' levels, bins and current
 * quantities; conditional stock writes, 25 per request (replaceMany); BatchWriteItem for the ledger
 * entries of rows that changed stock; one transaction for the chunk's statuses and the counters.
 */
export async function processChunk(deps: Deps, msg: ChunkMessage): Promise<"applied" | "skipped"> {
  if (!msg.rows.length) return "skipped";
  const batchKey = inventoryKeys.batch(msg.orgId, msg.batchId);
  const markerKey = inventoryKeys.chunk(msg.orgId, msg.batchId, msg.rows[0]!.row);
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
  const binOf = (r: CsvRow) => binOfRow(warehouse.slotting, r);
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
    writers.set(key, {
      row,
      replacement: {
        sku: row.sku,
        bin: binOf(row),
        quantity: Number(row.quantity),
        pos: position(batch.createdAt, batch.id, row.row),
        ...(row.since !== undefined && row.since < row.row ? { sameSince: position(batch.createdAt, batch.id, row.since) } : {}),
      },
    });
  }
  const known = new Map([...writers.keys()].map((k) => [k, found.get(k) ?? {}]));
  const now = deps.now().toISOString();
  const outcomes = await replaceMany(deps, msg.orgId, warehouse, [...writers.values()].map((w) => w.replacement), now, known);
  // Rows superseded within the chunk, and writers whose quantity was already in place, changed nothing.
  const ledger = [...writers.values()].flatMap(({ row, replacement }) => {
    const o = outcomes.get(replacement)!;
    return o.delta !== 0 ? [syncLedgerItem(msg.orgId, batch, warehouse, row, o.delta, o.onHand, now)] : [];
  });
  await deps.db.batchPut(ledger);
  await countChunk(deps, msg.orgId, batch.id, chunkStatusItem(msg.orgId, batch, msg.chunk, msg.rows.map((row) => storedRow(row, problems.get(row) ?? null)), now));
  await finishIfComplete(deps, msg.orgId, batch.id);
  return "applied";
}

/** The ledger entry of a row that changed stock (the same item on every delivery). */
function syncLedgerItem(orgId: number, batch: Batch, warehouse: Warehouse, row: CsvRow, delta: number, onHand: number, at: string): Record<string, unknown> {
  const entry: LedgerEntry = { sku: row.sku, warehouseId: warehouse.id, bin: binOfRow(warehouse.slotting, row), delta, onHand, reason: row.reason, source: `inventory_sync:${batch.id}:${row.row}`, at };
  return ledgerItem(orgId, inventoryKeys.ledgerRow(orgId, batch.id, row.row), entry, `${batch.id}#${row.row}`);
}

function storedRow(row: CsvRow, problem: string | null): StoredRow {
  return {
    row: row.row,
    sku: row.sku,
    quantity: QUANTITY.test(row.quantity) ? Number(row.quantity) : null,
    action: row.action,
    reason: row.reason,
    location: row.location ?? null,
    status: problem ? "error" : "success",
    error: problem,
  };
}

export const DEAD_CHUNK_ERROR = "the row could not be processed (its chunk failed repeatedly and was dead-lettered)";

/**
 * A chunk that reached the dead-letter queue is counted once, so the batch finishes. Its rows are
 * reported as errors, except rows a failed attempt did apply: their position is on the stock item
 * (they keep their success and their ledger entry). An aborted batch's dead chunks change nothing.
 */
export async function reportDeadChunk(deps: Deps, msg: ChunkMessage): Promise<void> {
  const batch = await getBatch(deps, msg.orgId, msg.batchId);
  if (!batch || batch.status !== "processing" || !msg.rows.length) return;
  if (await getChunkStatus(deps, msg.orgId, batch.id, msg.rows[0]!.row)) return;
  const warehouse = await getWarehouse(deps, msg.orgId, batch.warehouseId);
  const now = deps.now().toISOString();
  const problems = new Map(msg.rows.map((row) => [row, warehouse ? rowProblem(row, warehouse) : DEAD_CHUNK_ERROR] as const));
  const applied = new Set<CsvRow>();
  const ledger: Record<string, unknown>[] = [];
  if (warehouse) {
    const keyOf = (r: CsvRow) => quantityKey(msg.orgId, warehouse, r.sku, binOfRow(warehouse.slotting, r));
    // The last row of the chunk per stock item was its writer; earlier ones were superseded by it.
    const writers = new Map<string, CsvRow>();
    for (const row of msg.rows) if (!problems.get(row)) writers.set(keyId(keyOf(row)), row);
    const stored = new Map((await deps.db.batchGet([...writers.values()].map(keyOf), { consistent: true })).map((i) => [keyId(i as never), i]));
    for (const row of msg.rows) {
      if (problems.get(row)) continue;
      const writer = writers.get(keyId(keyOf(row)))!;
      const item = stored.get(keyId(keyOf(row)));
      const pos = item?.pos as string | undefined;
      const writerPos = position(batch.createdAt, batch.id, writer.row);
      // Applied: its position is stored, or (a run of equal rows) the quantity it sets is, from within the run.
      const inRun = writer.since !== undefined && pos !== undefined && pos >= position(batch.createdAt, batch.id, writer.since) && pos < writerPos && item!.onHand === Number(writer.quantity);
      if (pos !== writerPos && !inRun) continue;
      applied.add(row);
      const delta = row === writer && pos === writerPos ? (item!.onHand as number) - ((item!.prevOnHand as number | undefined) ?? 0) : 0;
      if (delta !== 0) ledger.push(syncLedgerItem(msg.orgId, batch, warehouse, row, delta, item!.onHand as number, now));
    }
  }
  await deps.db.batchPut(ledger);
  const rows = msg.rows.map((row) => storedRow(row, applied.has(row) ? null : (problems.get(row) ?? DEAD_CHUNK_ERROR)));
  await countChunk(deps, msg.orgId, batch.id, chunkStatusItem(msg.orgId, batch, msg.chunk, rows, now));
  await finishIfComplete(deps, msg.orgId, batch.id);
}
