/**
 * Stock levels and the stock ledger. A SKU is "stocked in" a warehouse when its level item exists
 * (created by assignSkus); inventory sync never creates it (API-CONTRACT 6.11 #6).
 *
 * Static slotting: the level item holds on_hand. Dynamic slotting: each bin has its own item
 * (`L#<sku>#B#<bin>`) and the SKU's on_hand is their sum, computed on read, so a bin write never
 * has to maintain a second counter.
 *
 * Every quantity write is a "replace" conditioned on its position: the stored `pos` must be older
 * than the writer's. Positions order writes across batches (batch creation time, batch id, row
 * number) and manual changes (their time), so a redelivered row is a no-op and the last row of a
 * file wins whatever order its chunks run in.
 */
import type { Deps } from "../deps.ts";
import { catalogKeys, pad } from "../db/keys.ts";
import { isConditionFailure } from "../db/errors.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getSkus } from "./products.ts";
import { getBins, requireWarehouse, UNASSIGNED_BIN, type Warehouse } from "./warehouses.ts";

export interface StockLevel {
  orgId: number;
  warehouseId: number;
  sku: string;
  onHand: number;
  bins: Array<{ bin: string; onHand: number }>;
  updatedAt: string;
}

export interface LedgerEntry {
  sku: string;
  warehouseId: number;
  bin: string | null;
  delta: number;
  onHand: number;
  reason: string;
  /** e.g. "inventory_sync:<batch>:<row>" or "manual:<user>". */
  source: string;
  at: string;
}

/** The outcome of one positioned replace. */
export type ReplaceOutcome =
  | { applied: true; previous: number; onHand: number }
  | { applied: false; superseded: true };

/** A sortable write position: ISO time, then a tie-breaker (batch id + row, or a request id). */
export const position = (at: string, tieBreaker: string, row = 0) => `${at}#${tieBreaker}#${pad(row)}`;

/** Makes SKUs available in a warehouse (on_hand 0); already stocked SKUs are left as they are. */
export async function assignSkus(deps: Deps, orgId: number, warehouseId: number, codes: string[]): Promise<{ assigned: string[]; unknown: string[] }> {
  await requireWarehouse(deps, orgId, warehouseId);
  const found = await getSkus(deps, orgId, codes);
  const unknown = [...new Set(codes.map((c) => c.trim()))].filter((c) => !found.has(c));
  if (unknown.length) return { assigned: [], unknown };
  const now = deps.now().toISOString();
  for (const sku of found.values()) {
    try {
      await deps.db.put(
        { ...catalogKeys.stock(orgId, warehouseId, sku.sku), type: "StockLevel", orgId, warehouseId, sku: sku.sku, skuId: sku.id, onHand: 0, updatedAt: now },
        { condition: "attribute_not_exists(pk)" },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  return { assigned: [...found.keys()], unknown: [] };
}

/** Which of `codes` are stocked in the warehouse (one BatchGetItem per 100). */
export async function stockedSkus(deps: Deps, orgId: number, warehouseId: number, codes: string[]): Promise<Set<string>> {
  const unique = [...new Set(codes)].filter((c) => c.length > 0 && c.length <= 64);
  if (!unique.length) return new Set();
  const items = await deps.db.batchGet(unique.map((c) => catalogKeys.stock(orgId, warehouseId, c)), { attributes: ["sku"] });
  return new Set(items.map((i) => i.sku as string));
}

/**
 * Sets on_hand of a SKU (in a bin for dynamic slotting) if `pos` is newer than the stored one.
 * One UpdateItem; `prevOnHand` is written alongside so the delta comes back without a read.
 */
export async function replaceStock(
  deps: Deps,
  args: { orgId: number; warehouse: Warehouse; sku: string; bin: string | null; quantity: number; pos: string; at: string },
): Promise<ReplaceOutcome> {
  const { orgId, warehouse, sku } = args;
  const key = warehouse.slotting === "dynamic" ? catalogKeys.stockBin(orgId, warehouse.id, sku, args.bin ?? UNASSIGNED_BIN) : catalogKeys.stock(orgId, warehouse.id, sku);
  try {
    const out = await deps.db.update<{ onHand: number; prevOnHand?: number }>(
      key,
      "SET prevOnHand = if_not_exists(onHand, :zero), onHand = :q, pos = :pos, updatedAt = :at, orgId = :org, warehouseId = :wh, sku = :sku, #t = :type" +
        (warehouse.slotting === "dynamic" ? ", bin = :bin" : ""),
      {
        condition: warehouse.slotting === "dynamic" ? "attribute_not_exists(pos) OR pos < :pos" : "attribute_exists(pk) AND (attribute_not_exists(pos) OR pos < :pos)",
        names: { "#t": "type" },
        values: {
          ":q": args.quantity,
          ":pos": args.pos,
          ":at": args.at,
          ":zero": 0,
          ":org": orgId,
          ":wh": warehouse.id,
          ":sku": sku,
          ":type": warehouse.slotting === "dynamic" ? "StockBin" : "StockLevel",
          ...(warehouse.slotting === "dynamic" ? { ":bin": args.bin ?? UNASSIGNED_BIN } : {}),
        },
      },
    );
    return { applied: true, previous: out.prevOnHand ?? 0, onHand: out.onHand };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { applied: false, superseded: true };
  }
}

/** A manual stock change (GraphQL `inventory_replace`): positioned by time, with its ledger entry. */
export async function setStockManually(
  deps: Deps,
  orgId: number,
  input: { warehouseId: number; sku: string; quantity: number; location?: string | null; reason: string; source: string; requestId: string },
): Promise<StockLevel> {
  const warehouse = await requireWarehouse(deps, orgId, input.warehouseId);
  if (!Number.isSafeInteger(input.quantity) || input.quantity < 0) throw new ValidationError("quantity must be a non-negative integer", { path: "quantity" });
  const stocked = await stockedSkus(deps, orgId, warehouse.id, [input.sku]);
  if (!stocked.has(input.sku)) throw new NotFoundError(`SKU ${input.sku} is not stocked in warehouse ${warehouse.id}`);
  let bin: string | null = null;
  if (warehouse.slotting === "dynamic") {
    bin = input.location?.trim() || UNASSIGNED_BIN;
    if (!(await getBins(deps, orgId, warehouse.id, [bin])).has(bin)) throw new NotFoundError(`location ${bin} does not exist in warehouse ${warehouse.id}`);
  } else if (input.location) {
    throw new ValidationError(`warehouse ${warehouse.id} uses static slotting: location is not allowed`, { path: "location" });
  }
  const at = deps.now().toISOString();
  const outcome = await replaceStock(deps, { orgId, warehouse, sku: input.sku, bin, quantity: input.quantity, pos: position(at, `manual-${input.requestId}`), at });
  if (outcome.applied && outcome.onHand !== outcome.previous) {
    await writeLedgerEntry(deps, orgId, {
      sku: input.sku,
      warehouseId: warehouse.id,
      bin,
      delta: outcome.onHand - outcome.previous,
      onHand: outcome.onHand,
      reason: input.reason,
      source: input.source,
      at,
    }, `manual#${input.requestId}`);
  }
  return (await getStockLevels(deps, orgId, warehouse, [input.sku]))[0]!;
}

/**
 * A ledger entry item: at `key` (sync rows: in their batch's partition; manual changes: a partition
 * per SKU), listed in the SKU's ledger through gsi1 (oldest first by time, then `tieBreaker`).
 */
export function ledgerItem(orgId: number, key: { pk: string; sk: string }, entry: LedgerEntry, tieBreaker: string): Record<string, unknown> {
  return {
    ...key,
    gsi1pk: catalogKeys.ledgerPk(orgId, entry.warehouseId, entry.sku),
    gsi1sk: `${entry.at}#${tieBreaker}`,
    type: "LedgerEntry",
    sku: entry.sku,
    reason: entry.reason,
    lgDelta: entry.delta,
    lgOnHand: entry.onHand,
    lgBin: entry.bin,
    lgSource: entry.source,
    lgAt: entry.at,
    lgWarehouse: entry.warehouseId,
  };
}

const ledgerOf = (item: Record<string, unknown>): LedgerEntry => ({
  sku: item.sku as string,
  warehouseId: item.lgWarehouse as number,
  bin: (item.lgBin as string | null | undefined) ?? null,
  delta: item.lgDelta as number,
  onHand: item.lgOnHand as number,
  reason: (item.reason as string | undefined) ?? "",
  source: item.lgSource as string,
  at: item.lgAt as string,
});

async function writeLedgerEntry(deps: Deps, orgId: number, entry: LedgerEntry, tieBreaker: string): Promise<void> {
  await deps.db.put(ledgerItem(orgId, { pk: `${catalogKeys.ledgerPk(orgId, entry.warehouseId, entry.sku)}#MANUAL`, sk: `${entry.at}#${tieBreaker}` }, entry, tieBreaker));
}

/** The ledger of a SKU in a warehouse, newest first (sync rows and manual changes alike). */
export async function stockLedger(deps: Deps, orgId: number, warehouseId: number, sku: string, limit = 50): Promise<LedgerEntry[]> {
  const page = await deps.db.query({ index: "gsi1", pk: catalogKeys.ledgerPk(orgId, warehouseId, sku), forward: false, limit });
  return page.items.map(ledgerOf);
}

/** The item key a quantity of (sku, bin) lives in. */
export const quantityKey = (orgId: number, warehouse: Warehouse, sku: string, bin: string | null) =>
  warehouse.slotting === "dynamic" ? catalogKeys.stockBin(orgId, warehouse.id, sku, bin ?? UNASSIGNED_BIN) : catalogKeys.stock(orgId, warehouse.id, sku);

export interface Replacement {
  sku: string;
  bin: string | null;
  quantity: number;
  pos: string;
  /**
   * The replace is already in effect when the stored quantity is `quantity` and the stored position
   * is at or after this one (and before `pos`): the caller vouches that every position in between
   * sets the same quantity (a run of equal rows of one file, core/inventory/runs.ts), so nothing is written.
   */
  sameSince?: string;
}
export type ReplacementOutcome =
  | { status: "applied" | "already-applied"; delta: number; onHand: number }
  | { status: "superseded" | "unchanged"; delta: 0; onHand: number };

/** Statement batches (25 writes each) in flight per call (a chunk of rows). */
const STOCK_WRITE_REQUESTS_IN_FLIGHT = 4;

/**
 * Many positioned replaces: the stored items are read in one BatchGetItem (or passed in), then
 * every replace newer than what is stored is written conditionally on the item being as read:
 * same `pos` and same `rev` (every writer of a quantity item changes one of them; this one bumps
 * `rev`), or absent for a new bin item. The writes go as PartiQL statements, 25 per request
 * (Db.writeStatements): each succeeds or fails on its own. An item whose condition failed (a
 * concurrent writer) is re-read and decided again.
 *
 * Why statements: one round trip per 25 writes instead of one per write (the client's CPU per write
 * is about a sixth of a single PutItem's, BENCH=dynamodb-writes), at the write units of single puts. Not a transaction: the
 * replaces are independent (each is idempotent through its `pos`, so a chunk that fails half-way
 * is finished by its redelivery); a transaction costs twice the write units in AWS and is cancelled
 * whole when any one of its items is written concurrently. Within the list, the caller passes at
 * most one replacement per key.
 */
export async function replaceMany(
  deps: Deps,
  orgId: number,
  warehouse: Warehouse,
  replacements: Replacement[],
  at: string,
  known?: Map<string, Record<string, unknown>>,
): Promise<Map<Replacement, ReplacementOutcome>> {
  const out = new Map<Replacement, ReplacementOutcome>();
  const keyOf = (r: Replacement) => quantityKey(orgId, warehouse, r.sku, r.bin);
  const id = (k: { pk: string; sk: string }) => `${k.pk}\u0000${k.sk}`;
  let stored = known ?? new Map<string, Record<string, unknown>>();
  let pending = replacements;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 0 || !known) {
      const items = await deps.db.batchGet(pending.map(keyOf), { consistent: true });
      stored = new Map(items.map((i) => [id(i as { pk: string; sk: string }), i]));
      for (const r of pending) if (!stored.has(id(keyOf(r)))) stored.set(id(keyOf(r)), {});
    }
    const writes: Array<{ r: Replacement; item: Record<string, unknown> }> = [];
    for (const r of pending) {
      const item = stored.get(id(keyOf(r))) ?? {};
      const oldPos = item.pos as string | undefined;
      if (oldPos !== undefined && oldPos >= r.pos) {
        const onHand = (item.onHand as number | undefined) ?? 0;
        out.set(r, oldPos === r.pos ? { status: "already-applied", delta: onHand - ((item.prevOnHand as number | undefined) ?? 0), onHand } : { status: "superseded", delta: 0, onHand });
      } else if (r.sameSince !== undefined && oldPos !== undefined && oldPos >= r.sameSince && item.onHand === r.quantity) {
        out.set(r, { status: "unchanged", delta: 0, onHand: r.quantity });
      } else writes.push({ r, item });
    }
    const statements = writes.map(({ r, item }) => replaceStatement(deps.db.tableName, orgId, warehouse, keyOf(r), r, item, at));
    const results = await deps.db.writeStatements(statements, { requestsInFlight: STOCK_WRITE_REQUESTS_IN_FLIGHT });
    const retry: Replacement[] = [];
    writes.forEach(({ r, item }, i) => {
      if (results[i] === "written") out.set(r, { status: "applied", delta: r.quantity - ((item.onHand as number | undefined) ?? 0), onHand: r.quantity });
      else retry.push(r);
    });
    if (retry.length) {
      if (attempt >= 8) throw new Error(`stock of ${retry.length} item(s) kept changing concurrently; giving up after ${attempt + 1} attempts`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
    }
    pending = retry;
  }
  return out;
}

/** The conditional write of one replace: an UPDATE of the item as read, or an INSERT of a new bin item. */
function replaceStatement(
  table: string,
  orgId: number,
  warehouse: Warehouse,
  key: { pk: string; sk: string },
  r: Replacement,
  item: Record<string, unknown>,
  at: string,
): { statement: string; parameters: unknown[] } {
  const prev = (item.onHand as number | undefined) ?? 0;
  const rev = ((item.rev as number | undefined) ?? 0) + 1;
  if (item.pk === undefined) {
    // A static level exists while the SKU is stocked there (callers check); only a dynamic bin item may be new.
    if (warehouse.slotting === "static") throw new NotFoundError(`SKU ${r.sku} is not stocked in warehouse ${warehouse.id}`);
    return {
      statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'type': ?, 'orgId': ?, 'warehouseId': ?, 'sku': ?, 'bin': ?, 'onHand': ?, 'prevOnHand': ?, 'pos': ?, 'rev': ?, 'updatedAt': ?}`,
      parameters: [key.pk, key.sk, "StockBin", orgId, warehouse.id, r.sku, r.bin ?? UNASSIGNED_BIN, r.quantity, prev, r.pos, rev, at],
    };
  }
  const parameters: unknown[] = [r.quantity, prev, r.pos, rev, at, key.pk, key.sk];
  const as = (name: string) => (item[name] === undefined ? `"${name}" IS MISSING` : (parameters.push(item[name]), `"${name}" = ?`));
  return {
    statement: `UPDATE "${table}" SET "onHand" = ? SET "prevOnHand" = ? SET "pos" = ? SET "rev" = ? SET "updatedAt" = ? WHERE "pk" = ? AND "sk" = ? AND ${as("pos")} AND ${as("rev")}`,
    parameters,
  };
}

/** Levels of SKUs in a warehouse (SKUs not stocked there are absent). */
export async function getStockLevels(deps: Deps, orgId: number, warehouse: Warehouse, codes: string[]): Promise<StockLevel[]> {
  if (warehouse.slotting === "static") {
    const items = await deps.db.batchGet(codes.map((c) => catalogKeys.stock(orgId, warehouse.id, c)), { consistent: true });
    const bySku = new Map(items.map((i) => [i.sku as string, i]));
    return codes.flatMap((c) => {
      const i = bySku.get(c);
      return i ? [{ orgId, warehouseId: warehouse.id, sku: c, onHand: (i.onHand as number) ?? 0, bins: [], updatedAt: i.updatedAt as string }] : [];
    });
  }
  const out: StockLevel[] = [];
  for (const code of codes) {
    const items = await deps.db.queryAll({ pk: catalogKeys.stockPk(orgId, warehouse.id), skBeginsWith: `L#${code}`, consistent: true });
    const level = items.find((i) => i.sk === `L#${code}`);
    if (!level) continue;
    out.push(levelFrom(orgId, warehouse.id, code, level, items.filter((i) => i.sk !== `L#${code}` && String(i.sk).startsWith(`L#${code}#B#`))));
  }
  return out;
}

function levelFrom(orgId: number, warehouseId: number, code: string, level: Record<string, unknown>, bins: Record<string, unknown>[]): StockLevel {
  const binList = bins.map((b) => ({ bin: b.bin as string, onHand: (b.onHand as number) ?? 0 }));
  const updated = [level.updatedAt as string, ...bins.map((b) => b.updatedAt as string)].sort().at(-1)!;
  return {
    orgId,
    warehouseId,
    sku: code,
    onHand: bins.length ? binList.reduce((s, b) => s + b.onHand, 0) : ((level.onHand as number) ?? 0),
    bins: binList,
    updatedAt: updated,
  };
}

/** A page of a warehouse's levels in SKU order; `after` is the last SKU of the previous page. */
export async function listStock(deps: Deps, orgId: number, warehouse: Warehouse, opts: { first: number; after?: string }): Promise<{ levels: StockLevel[]; hasNextPage: boolean }> {
  const levels: StockLevel[] = [];
  let current: { code: string; level: Record<string, unknown>; bins: Record<string, unknown>[] } | undefined;
  let startKey: Record<string, unknown> | undefined;
  const from = opts.after ? `L#${opts.after}#\uffff` : "L#";
  // Bins sort right after their SKU's level item, so one forward Query yields whole levels.
  for (;;) {
    const page = await deps.db.query({ pk: catalogKeys.stockPk(orgId, warehouse.id), skGreaterThan: from, startKey, limit: 500, consistent: true });
    for (const item of page.items) {
      const sk = item.sk as string;
      const binAt = sk.indexOf("#B#");
      if (binAt < 0) {
        if (current) levels.push(levelFrom(orgId, warehouse.id, current.code, current.level, current.bins));
        if (levels.length === opts.first) return { levels, hasNextPage: true };
        current = { code: item.sku as string, level: item, bins: [] };
      } else if (current) current.bins.push(item);
    }
    startKey = page.lastKey;
    if (!startKey) break;
  }
  if (current) levels.push(levelFrom(orgId, warehouse.id, current.code, current.level, current.bins));
  return { levels, hasNextPage: false };
}
