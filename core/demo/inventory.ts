/**
 * Demo data of the inventory area (see core/demo/index.ts and docs/inventory.md "Demo dataset"):
 * - 3801 "Sentera Demo": static warehouse Warehouse:6545, dynamic warehouse 6546 (bins A-01, A-02),
 *   the five SKUs of seed 001 stocked in both;
 * - 3805 "Acme Field Services" (descendant): Warehouse:4350 with the same five SKU codes (SKUs are
 *   unique per organization, so 3805 has its own). 3801 sees its batches as the 3PL parent, which
 *   is how seed 001's statuses list shows Account:3805 batches to an Account:3801 caller;
 * - 4100 "Unrelated Retail": one warehouse, for tenancy checks;
 * - the batches the examples name: 5d9624b054de070001fd3132 (04, success, 5 rows),
 *   5d9625ebd49dd410acb3f554 (05, its 5 rows as documented), 5e4dac71b50fb5475c7b00d4 (06, pending,
 *   to abort) and the three documented error batches of 4350 (03; 23-hex ids repaired, I-16).
 * Fixed catalog ids start at 9000 so they stay clear of the Centra ids other areas seed (342, 1844…).
 */
import type { AreaSeed } from "./index.ts";
import type { Deps } from "../deps.ts";
import { createWarehouse, createBin } from "../catalog/warehouses.ts";
import { createProduct } from "../catalog/products.ts";
import { assignSkus, position, replaceStock } from "../catalog/stock.ts";
import { createBatch } from "../inventory/batches.ts";
import { chunkStatusItem } from "../inventory/row-status.ts";
import { getWarehouse } from "../catalog/warehouses.ts";

export const DEMO_INVENTORY = {
  warehouses: { static: 6545, dynamic: 6546, descendant: 4350, unrelated: 4101 },
  skus: ["45933041", "46401204", "49071335", "47028683", "48061840"],
  batches: {
    status: "5d9624b054de070001fd3132",
    items: "5d9625ebd49dd410acb3f554",
    abortable: "5e4dac71b50fb5475c7b00d4",
    documented: ["5d9624b054de070001fd315a", "5d95fc1754de070001fd30a0", "5d95f884f5189700012e6900"],
  },
  /** The demo API user (User:9123 as in seed 001's user_id). */
  userId: 9123,
} as const;

const D = DEMO_INVENTORY;

async function seedCatalog(deps: Deps, orgId: number, baseId: number): Promise<void> {
  await createProduct(deps, orgId, {
    id: baseId,
    name: "Field sensor kit",
    variants: [
      { id: baseId + 100, name: "Standard", sizes: D.skus.slice(0, 3).map((sku, i) => ({ id: baseId + 200 + i, sku, size: ["S", "M", "L"][i]! })) },
      { id: baseId + 101, name: "Rugged", sizes: D.skus.slice(3).map((sku, i) => ({ id: baseId + 210 + i, sku, size: ["M", "L"][i]! })) },
    ],
  });
}

export const seedInventoryDemo: AreaSeed = async (deps, { example, descendant, unrelated }) => {
  await createWarehouse(deps, example.id, { id: D.warehouses.static, name: "Stockholm DC", slotting: "static" });
  await createWarehouse(deps, example.id, { id: D.warehouses.dynamic, name: "Göteborg DC (dynamic slotting)", slotting: "dynamic" });
  await createBin(deps, example.id, D.warehouses.dynamic, "A-01");
  await createBin(deps, example.id, D.warehouses.dynamic, "A-02");
  await createWarehouse(deps, descendant.id, { id: D.warehouses.descendant, name: "Acme Field Warehouse", slotting: "static" });
  await createWarehouse(deps, unrelated.id, { id: D.warehouses.unrelated, name: "Unrelated Store Room", slotting: "static" });

  await seedCatalog(deps, example.id, 9000);
  await seedCatalog(deps, descendant.id, 9000);
  await createProduct(deps, unrelated.id, { id: 9000, name: "Unrelated thing", variants: [{ id: 9100, name: "One", sizes: [{ id: 9200, sku: "UNREL-1" }] }] });
  await assignSkus(deps, example.id, D.warehouses.static, [...D.skus]);
  await assignSkus(deps, example.id, D.warehouses.dynamic, [...D.skus]);
  await assignSkus(deps, descendant.id, D.warehouses.descendant, [...D.skus]);
  await assignSkus(deps, unrelated.id, D.warehouses.unrelated, ["UNREL-1"]);

  // The batches of the examples, finished as documented (their stock was applied: 10 each).
  const wh = (await getWarehouse(deps, example.id, D.warehouses.static))!;
  const at = (iso: string) => iso;
  await createBatch(deps, {
    id: D.batches.status,
    orgId: example.id,
    warehouseId: wh.id,
    userId: D.userId,
    url: "https://some-url.com/inv-sync.csv",
    source: "url",
    fixed: { status: "success", totalCount: 5, successCount: 5, finishedCount: 5, parsed: true, updatedAt: at("2019-10-03T16:41:21.000Z") },
  });
  const { batch: items } = await createBatch(deps, {
    id: D.batches.items,
    orgId: example.id,
    warehouseId: wh.id,
    userId: D.userId,
    url: "https://some-url.com/inv-sync.csv",
    source: "url",
    fixed: { status: "success", totalCount: 5, successCount: 5, finishedCount: 5, parsed: true, updatedAt: at("2019-10-03T16:46:36.000Z") },
  });
  const rowTime = "2019-10-03T16:46:36.000Z";
  const rows = D.skus.map((sku, i) => ({ row: i + 1, sku, quantity: 10, action: "change", reason: "Reason for changing inventory", location: null, status: "success" as const, error: null }));
  await deps.db.put(chunkStatusItem(example.id, items, 0, rows, rowTime));
  for (const [i, sku] of D.skus.entries()) {
    await replaceStock(deps, { orgId: example.id, warehouse: wh, sku, bin: null, quantity: 10, pos: position(items.createdAt, items.id, i + 1), at: rowTime });
  }
  await createBatch(deps, {
    id: D.batches.abortable,
    orgId: example.id,
    warehouseId: wh.id,
    userId: D.userId,
    url: "https://some-url.com/inv-sync.csv",
    source: "url",
  });
  const documented: Array<[string, string, number, string]> = [
    [D.batches.documented[0], "https://some-url.com/inv-sync.csv", 3, "2019-10-03T16:41:21.000Z"],
    [D.batches.documented[1], "https://some-url2.com/inv-sync.csv", 178, "2019-10-03T13:48:14.000Z"],
    [D.batches.documented[2], "https://some-url.com/inv-sync.csv", 3, "2019-10-03T13:32:59.000Z"],
  ];
  for (const [id, url, total, updatedAt] of documented) {
    await createBatch(deps, {
      id,
      orgId: descendant.id,
      warehouseId: D.warehouses.descendant,
      userId: D.userId,
      url,
      source: "url",
      fixed: { status: "error", error: `error in ${total} out of ${total} rows`, totalCount: total, errorCount: total, finishedCount: total, parsed: true, updatedAt },
    });
  }
};
