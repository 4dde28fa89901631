import { describe, expect, it } from "vitest";
import { QuantityRuns } from "../../core/inventory/runs.ts";
import { chunkStatusItem, type StoredRow } from "../../core/inventory/row-status.ts";
import type { CsvRow } from "../../core/inventory/csv.ts";
import { chunkRowsFrom } from "../../core/inventory/file.ts";

let n = 0;
const row = (sku: string, quantity: string, extra: Partial<CsvRow> = {}): CsvRow => ({ row: ++n, sku, quantity, action: "replace", reason: "r", location: null, ...extra });

describe("runs of equal quantities (file handler)", () => {
  it("a repeated quantity continues its run from the run's first row; another quantity starts a new run", () => {
    n = 0;
    const runs = new QuantityRuns("static");
    const since = [row("A", "5"), row("B", "5"), row("A", "5"), row("A", "05"), row("A", "6"), row("A", "6"), row("B", "5")].map((r) => runs.next(r));
    expect(since).toEqual([undefined, undefined, 1, 1, undefined, 5, 2]);
  });

  it("anything that might write another quantity breaks the run", () => {
    n = 0;
    const runs = new QuantityRuns("static");
    const since = [row("A", "5"), row("A", "-5"), row("A", "5"), row("A", "5", { action: "add" }), row("A", "5"), row("A", "5", { error: "row has 2 fields, the header has 4" }), row("A", "5"), row("A", "5")].map((r) => runs.next(r));
    expect(since).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, 7]);
  });

  it("dynamic slotting: each bin is its own item, and no location is the Unassigned bin", () => {
    n = 0;
    const runs = new QuantityRuns("dynamic");
    const since = [row("A", "5", { location: "A-01" }), row("A", "5"), row("A", "5", { location: "Unassigned" }), row("A", "5", { location: "A-01" })].map((r) => runs.next(r));
    expect(since).toEqual([undefined, undefined, 2, 1]);
  });

  it("items sharing a slot share a run: their runs break more often, and a run still holds for each of them", () => {
    n = 0;
    const runs = new QuantityRuns("static", 1);
    // A and B in one slot: B's 7 breaks A's run of 5; B's first 5 is said to continue A's run (every row of A or B
    // from row 3 on sets 5, which is true of B's rows too).
    const since = [row("A", "5"), row("B", "7"), row("A", "5"), row("B", "5"), row("A", "5")].map((r) => runs.next(r));
    expect(since).toEqual([undefined, undefined, undefined, 3, 3]);
  });
});

describe("a chunk's status item", () => {
  it("chunks hold at most 100 rows: INVENTORY_CHUNK_ROWS outside 1…100 is refused with a clear message", () => {
    expect(chunkRowsFrom(undefined)).toBe(100);
    expect(chunkRowsFrom("3")).toBe(3);
    for (const bad of ["0", "101", "2.5", "many"]) expect(() => chunkRowsFrom(bad)).toThrow(`INVENTORY_CHUNK_ROWS must be an integer from 1 to 100 (got "${bad}")`);
  });


  it("holds 100 rows of the largest fields the file handler sends under DynamoDB's 400 KB item limit", () => {
    const long = "x".repeat(255);
    const rows: StoredRow[] = Array.from({ length: 100 }, (_, i) => ({
      row: 1_000_000 + i,
      sku: long,
      quantity: null,
      action: long,
      reason: long,
      location: long,
      status: "error",
      error: `location ${long} does not exist in warehouse "${long}"`,
    }));
    const item = chunkStatusItem(1, { id: "6b03c0517b510eaf384710b2", createdAt: "2026-11-23T04:26:00.000Z" }, 0, rows, "2026-11-23T04:26:01.000Z");
    // JSON is a fair upper bound of DynamoDB's size (attribute names + values, no quotes or braces).
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(300 * 1024);
    expect(item).toMatchObject({ successCount: 0, errorCount: 100, firstRow: 1_000_000, lastRow: 1_000_099 });
  });
});
