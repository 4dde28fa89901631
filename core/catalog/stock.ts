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
import { pool } from "../pool.ts";
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

/** Attributes that make an item an entry of a SKU's ledger (gsi1, oldest first). */
export function ledgerIndex(orgId: number, warehouseId: number, sku: string, at: string, tieBreaker: string) {
  return { gsi1pk: catalogKeys.ledgerPk(orgId, warehouseId, sku), gsi1sk: `${at}#${tieBreaker}` };
}

/** A ledger entry's own attributes, flat and short (sync rows carry them beside their row fields). */
export function ledgerAttributes(entry: LedgerEntry): Record<string, unknown> {
  return { sku: entry.sku, reason: entry.reason, lgDelta: entry.delta, lgOnHand: entry.onHand, lgBin: entry.bin, lgSource: entry.source, lgAt: entry.at, lgWarehouse: entry.warehouseId };
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
  await deps.db.put({
    pk: `${catalogKeys.ledgerPk(orgId, entry.warehouseId, entry.sku)}#MANUAL`,
    sk: `${entry.at}#${tieBreaker}`,
    ...ledgerIndex(orgId, entry.warehouseId, entry.sku, entry.at, tieBreaker),
    type: "LedgerEntry",
    ...ledgerAttributes(entry),
  });
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
}
export type ReplacementOutcome = { status: "applied" | "already-applied"; delta: number; onHand: number } | { status: "superseded"; delta: 0; onHand: number };

/** Conditional stock writes in flight per call (a chunk of rows). */
const STOCK_WRITE_CONCURRENCY = 16;

/**
 * Many positioned replaces: the stored items are read in one BatchGetItem (or passed in), then
 * every replace newer than what is stored is written as its own conditional PutItem of the whole
 * item (STOCK_WRITE_CONCURRENCY at a time), conditioned on the item being as read: same `pos`, same
 * `rev` (every writer of a quantity item changes one of them; this one bumps `rev`), or absent. An
 * item whose condition failed (a concurrent writer) is re-read and decided again.
 *
 * Why not one TransactWriteItems per 100: the replaces are independent (each is idempotent through
 * its `pos`, so a chunk that fails half-way is finished by its redelivery), and a transaction costs
 * twice the write units in AWS, is cancelled whole when any one of its items is written
 * concurrently, and is serialized by DynamoDB Local (BENCH=dynamodb-writes). Within the list, the
 * caller passes at most one replacement per key.
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
      } else writes.push({ r, item });
    }
    const retry: Replacement[] = [];
    await pool(
      writes.map(({ r, item }) => async () => {
        const prev = (item.onHand as number | undefined) ?? 0;
        const exists = item.pk !== undefined;
        // A static level exists while the SKU is stocked there (callers check); only a dynamic bin item may be new.
        if (!exists && warehouse.slotting === "static") throw new NotFoundError(`SKU ${r.sku} is not stocked in warehouse ${warehouse.id}`);
        const values: Record<string, unknown> = {};
        const condition = !exists
          ? "attribute_not_exists(pk)"
          : [
              "attribute_exists(pk)",
              item.pos === undefined ? "attribute_not_exists(pos)" : ((values[":pos0"] = item.pos), "pos = :pos0"),
              item.rev === undefined ? "attribute_not_exists(rev)" : ((values[":rev0"] = item.rev), "rev = :rev0"),
            ].join(" AND ");
        try {
          await deps.db.put(
            {
              ...item,
              ...keyOf(r),
              type: warehouse.slotting === "dynamic" ? "StockBin" : "StockLevel",
              orgId,
              warehouseId: warehouse.id,
              sku: r.sku,
              ...(warehouse.slotting === "dynamic" ? { bin: r.bin ?? UNASSIGNED_BIN } : {}),
              onHand: r.quantity,
              prevOnHand: prev,
              pos: r.pos,
              rev: ((item.rev as number | undefined) ?? 0) + 1,
              updatedAt: at,
            },
            { condition, values: Object.keys(values).length ? values : undefined },
          );
          out.set(r, { status: "applied", delta: r.quantity - prev, onHand: r.quantity });
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
          retry.push(r);
        }
      }),
      STOCK_WRITE_CONCURRENCY,
    );
    if (retry.length) {
      if (attempt >= 8) throw new Error(`stock of ${retry.length} item(s) kept changing concurrently; giving up after ${attempt + 1} attempts`);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (attempt + 1)));
    }
    pending = retry;
  }
  return out;
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
