/**
 * Runs of equal quantities, tracked by the file handler while it streams a file: for each row, the
 * first row of the run of consecutive occurrences of the same stock item (SKU and bin) with the same
 * quantity that the row continues. The row handler uses it to skip a write that changes nothing:
 * if the stored quantity is already the row's and was written by a row of this file at or after
 * the run's start, every row between them sets the same quantity, so the write is a no-op whatever
 * order the chunks run in (core/catalog/stock.ts replaceMany, `sameSince`).
 *
 * Conservative by construction: anything that might write another quantity (an unparsable
 * quantity, another action, a structural error) breaks the run, and once LIMIT items are tracked,
 * new items get no run (their rows write as before).
 */
import { UNASSIGNED_BIN } from "../catalog/warehouses.ts";
import type { CsvRow } from "./csv.ts";

/** Items tracked per file (about 100 bytes each: ~20 MB at the limit). */
export const RUN_TRACKING_LIMIT = 200_000;
const QUANTITY = /^\d{1,9}$/;
const REPLACE = new Set(["replace", "change"]);

export class QuantityRuns {
  private readonly runs = new Map<string, { quantity: number | null; start: number }>();

  constructor(
    private readonly slotting: "static" | "dynamic",
    private readonly limit = RUN_TRACKING_LIMIT,
  ) {}

  /** Records the row; returns the first row of the run it continues, when that is an earlier row. */
  next(row: CsvRow): number | undefined {
    // The same item key as the row handler's (rows.ts binOf): a dynamic row without location is the Unassigned bin.
    const key = this.slotting === "dynamic" ? `${row.sku}\u0000${row.location ?? UNASSIGNED_BIN}` : row.sku;
    const quantity = !row.error && REPLACE.has(row.action.toLowerCase()) && QUANTITY.test(row.quantity) ? Number(row.quantity) : null;
    const run = this.runs.get(key);
    if (!run) {
      if (this.runs.size < this.limit) this.runs.set(key, { quantity, start: row.row });
      return undefined;
    }
    if (quantity === null || run.quantity !== quantity) {
      run.quantity = quantity;
      run.start = row.row;
      return undefined;
    }
    return run.start;
  }
}
