/**
 * Runs of equal quantities, tracked by the file handler while it streams a file: for each row, the
 * first row of the run of consecutive occurrences of the same stock item (SKU and bin) with the same
 * quantity that the row continues. The row handler uses it to skip a write that changes nothing:
 * if the stored quantity is already the row's and was written by a row of this file at or after
 * the run's start, every row between them sets the same quantity, so the write is a no-op whatever
 * order the chunks run in (core/catalog/stock.ts replaceMany, `sameSince`).
 *
 * Memory is fixed (two Int32Arrays of SLOTS entries, 8 MB) whatever the file: items are hashed to
 * slots and not stored. Items sharing a slot share one run, which is still sound: a run then
 * vouches that every row of all those items in it has the same quantity, so also every row of each
 * one; a shared slot only makes runs break more often. Anything that might write another quantity
 * (an unparsable quantity, another action, a structural error) breaks the run.
 */
import { UNASSIGNED_BIN } from "../catalog/warehouses.ts";
import type { CsvRow } from "./csv.ts";

/** Slots of the run table (a power of two): 2^20, so up to ~1M distinct items rarely share one. */
export const RUN_SLOTS = 1 << 20;
const QUANTITY = /^\d{1,9}$/;
const REPLACE = new Set(["replace", "change"]);
/** The bin a row sets: a dynamic-slotting row without location sets the Unassigned bin (CSV2); static: none. */
export const binOfRow = (slotting: "static" | "dynamic", row: CsvRow): string | null => (slotting === "dynamic" ? (row.location ?? UNASSIGNED_BIN) : null);

/** A slot's quantity when empty or after a row that breaks runs. */
const NONE = -1;

export class QuantityRuns {
  private readonly quantity: Int32Array;
  private readonly start: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly slotting: "static" | "dynamic",
    slots = RUN_SLOTS,
  ) {
    if (!Number.isInteger(Math.log2(slots))) throw new Error(`run slots must be a power of two (got ${slots})`);
    this.quantity = new Int32Array(slots).fill(NONE);
    this.start = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** Records the row; returns the first row of the run it continues, when that is an earlier row. */
  next(row: CsvRow): number | undefined {
    const slot = fnv1a(row.sku, binOfRow(this.slotting, row) ?? "") & this.mask;
    const quantity = !row.error && REPLACE.has(row.action.toLowerCase()) && QUANTITY.test(row.quantity) ? Number(row.quantity) : NONE;
    if (quantity === NONE || this.quantity[slot] !== quantity) {
      this.quantity[slot] = quantity;
      this.start[slot] = row.row;
      return undefined;
    }
    return this.start[slot];
  }
}

/** 32-bit FNV-1a over the UTF-16 code units of `a`, a separator, and `b`. */
function fnv1a(a: string, b: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0xffff, 0x01000193);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
