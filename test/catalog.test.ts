/**
 * Catalog rules on DynamoDB Local: SKU uniqueness per organization, fixed ids, product name
 * search through the name index, warehouses and their unassigned bin, stock assignment and the
 * GraphQL mutations that set them up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryEnv, type InventoryEnv } from "./support/inventory-env.ts";
import { createProduct, getProducts, getSkus, getVariants, searchProducts, skusOfVariants, variantsOfProducts } from "../core/catalog/products.ts";
import { createWarehouse, getWarehouses, listBins } from "../core/catalog/warehouses.ts";
import { assignSkus, getStockLevels, position, replaceMany } from "../core/catalog/stock.ts";
import { toGlobalId } from "../core/ids.ts";

let env: InventoryEnv;
beforeAll(async () => {
  env = await startInventoryEnv();
}, 60_000);
afterAll(async () => env?.stop());

const ORG = 3801;

describe("products, variants and SKUs", () => {
  it("creates a product with fixed ids and raises the counters above them", async () => {
    const O = 4100;
    const out = await createProduct(env.deps, O, { id: 5342, name: "Ball", variants: [{ id: 6844, name: "Outdoor hobby ball", sizes: [{ sku: "BALL-OUT-5", size: "5" }] }, { id: 6845, name: "Official game ball" }] });
    expect(out.product).toMatchObject({ id: 5342, name: "Ball" });
    expect(out.variants.map((v) => v.id)).toEqual([6844, 6845]);
    await expect(createProduct(env.deps, O, { id: 5342, name: "Again" })).rejects.toMatchObject({ code: "CONFLICT", message: "product 5342 already exists" });
    const next = await createProduct(env.deps, O, { name: "Next", variants: [{ name: "v" }] });
    expect(next.product.id).toBeGreaterThan(9000); // the demo's fixed ids (9000, 9100…) are the highest taken
    expect(next.variants[0]!.id).toBeGreaterThan(9100);
    expect((await getProducts(env.deps, O, [5342, 999999])).map((p) => p.id)).toEqual([5342]);
    expect((await getVariants(env.deps, O, [6845, 6844])).map((v) => v.name)).toEqual(["Official game ball", "Outdoor hobby ball"]);
    expect((await variantsOfProducts(env.deps, O, [5342])).get(5342)!.map((v) => v.id)).toEqual([6844, 6845]);
    expect((await skusOfVariants(env.deps, O, [6844])).get(6844)!.map((s) => s.sku)).toEqual(["BALL-OUT-5"]);
    expect(await getProducts(env.deps, ORG, [5342])).toEqual([]); // another tenant
  });

  it("a SKU code is unique per organization, not across organizations", async () => {
    await expect(createProduct(env.deps, ORG, { name: "Dup", variants: [{ name: "v", sizes: [{ sku: "45933041" }] }] })).rejects.toMatchObject({ code: "CONFLICT", message: 'SKU "45933041" already exists in this organization' });
    await expect(createProduct(env.deps, ORG, { name: "Dup", variants: [{ name: "v", sizes: [{ sku: "X1" }, { sku: "X1" }] }] })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    const other = await createProduct(env.deps, 4100, { name: "Same code elsewhere", variants: [{ name: "v", sizes: [{ sku: "45933041" }] }] });
    expect(other.skus[0]!.orgId).toBe(4100);
    expect((await getSkus(env.deps, 4100, ["45933041"])).get("45933041")!.productId).toBe(other.product.id);
    expect((await getSkus(env.deps, ORG, ["45933041"])).get("45933041")!.productId).toBe(9000);
  });

  it("two concurrent creations of one SKU: exactly one wins", async () => {
    const results = await Promise.allSettled([1, 2, 3].map((i) => createProduct(env.deps, ORG, { name: `Race ${i}`, variants: [{ name: "v", sizes: [{ sku: "RACE-1" }] }] })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    // The losers left no product behind: only the winner's name is found.
    expect(await searchProducts(env.deps, ORG, { nameContains: "Race " })).toHaveLength(1);
  });

  it("searches names by contains (case-insensitive) and equals, in id order, with limit/offset", async () => {
    for (const name of ["Red Shirt", "Blue shirt", "Shoe"]) await createProduct(env.deps, 4100, { name });
    expect((await searchProducts(env.deps, 4100, { nameContains: "SHIRT" })).map((p) => p.name)).toEqual(["Red Shirt", "Blue shirt"]);
    expect((await searchProducts(env.deps, 4100, { nameEquals: "Shoe" })).map((p) => p.name)).toEqual(["Shoe"]);
    expect((await searchProducts(env.deps, 4100, { nameContains: "sh", limit: 1, offset: 1 })).map((p) => p.name)).toEqual(["Blue shirt"]);
    expect(await searchProducts(env.deps, ORG, { nameContains: "Red Shirt" })).toEqual([]); // another tenant
  });

  it("validates input with the path of the offending field", async () => {
    await expect(createProduct(env.deps, ORG, { name: " " })).rejects.toMatchObject({ code: "BAD_USER_INPUT", details: { path: "name" } });
    await expect(createProduct(env.deps, ORG, { name: "x", variants: [{ name: "v", sizes: [{ sku: "has space" }] }] })).rejects.toMatchObject({ details: { path: "variants.0.sizes.0.sku" } });
  });
});

describe("warehouses and stock", () => {
  it("a warehouse comes with its unassigned bin; getWarehouses is tenant-scoped", async () => {
    const w = await createWarehouse(env.deps, ORG, { name: "Extra", slotting: "dynamic" });
    expect((await listBins(env.deps, ORG, w.id)).map((b) => [b.name, b.unassigned])).toEqual([["Unassigned", true]]);
    expect((await getWarehouses(env.deps, ORG, [6545, w.id, 4350])).map((x) => x.id)).toEqual([6545, w.id]);
    await expect(createWarehouse(env.deps, ORG, { name: "x", slotting: "weird" as never })).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    await expect(createWarehouse(env.deps, ORG, { id: 6545, name: "again", slotting: "static" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("assigning unknown SKUs assigns nothing and names them", async () => {
    expect(await assignSkus(env.deps, ORG, 6545, ["45933041", "NOPE"])).toEqual({ assigned: [], unknown: ["NOPE"] });
  });

  it("GraphQL: create a warehouse, a product, assign, set stock, read it back", async () => {
    const wh = await env.gql(env.keys.admin, `mutation { warehouse_create(data: { name: "GQL WH", slotting: "static" }) { warehouse { id legacy_id slotting bins { name unassigned } } } }`);
    expect(wh.errors).toBeUndefined();
    const warehouse = wh.data!.warehouse_create.warehouse;
    expect(warehouse.id).toBe(toGlobalId("Warehouse", warehouse.legacy_id));
    const product = await env.gql(env.keys.admin, `mutation { catalog_product_create(data: { name: "GQL product", variants: [{ name: "One", sizes: [{ sku: "GQL-1", size: "M" }] }] }) { product_id skus { id sku size } } }`);
    expect(product.data!.catalog_product_create.skus[0]).toMatchObject({ sku: "GQL-1", size: "M" });
    expect((await env.gql(env.keys.admin, `mutation { warehouse_skus_assign(data: { warehouse_id: "${warehouse.id}", skus: ["GQL-1"] }) { warehouse { id } } }`)).errors).toBeUndefined();
    const set = await env.gql(env.keys.admin, `mutation { inventory_replace(data: { warehouse_id: "${warehouse.id}", sku: "GQL-1", quantity: 12, reason: "count" }) { stock { sku on_hand } } }`);
    expect(set.data!.inventory_replace.stock).toEqual({ sku: "GQL-1", on_hand: 12 });
    const read = await env.gql(env.keys.admin, `{ warehouse(id: "${warehouse.id}") { stock_levels(first: 10) { edges { node { sku on_hand } } } ledger(sku: "GQL-1") { delta on_hand reason source } } }`);
    expect(read.data!.warehouse.stock_levels.edges.map((e: any) => e.node)).toEqual([{ sku: "GQL-1", on_hand: 12 }]);
    expect(read.data!.warehouse.ledger[0]).toMatchObject({ delta: 12, on_hand: 12, reason: "count" });
    expect(read.extensions!.permissionsUsed).toEqual(["Warehouse:read", "Inventory:read"]);
  });

  it("stock_levels pages in SKU order", async () => {
    const first = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { stock_levels(first: 2) { pageInfo { hasNextPage endCursor } edges { node { sku } } } } }`);
    const page = first.data!.warehouse.stock_levels;
    expect(page.edges.map((e: any) => e.node.sku)).toEqual(["45933041", "46401204"]);
    const next = await env.gql(env.keys.admin, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { stock_levels(first: 10, after: "${page.pageInfo.endCursor}") { pageInfo { hasNextPage } edges { node { sku } } } } }`);
    expect(next.data!.warehouse.stock_levels.edges.map((e: any) => e.node.sku)).toEqual(["47028683", "48061840", "49071335"]);
    expect(next.data!.warehouse.stock_levels.pageInfo.hasNextPage).toBe(false);
  });

  it("another organization's warehouse is not found; a read-only key cannot write", async () => {
    const res = await env.gql(env.keys.unrelated, `{ warehouse(id: "${toGlobalId("Warehouse", 6545)}") { name } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const ro = await env.gql(env.keys.readOnly, `mutation { warehouse_create(data: { name: "x", slotting: "static" }) { warehouse { id } } }`);
    expect(ro.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("concurrent stock writers", () => {
  for (const slotting of ["static", "dynamic"] as const) {
    it(`${slotting} slotting: twelve writers of one item at once — the newest position wins and the applied deltas add up to it`, async () => {
      const warehouse = await createWarehouse(env.deps, ORG, { name: `Race ${slotting}`, slotting });
      await assignSkus(env.deps, ORG, warehouse.id, ["45933041"]);
      const bin = slotting === "dynamic" ? "Unassigned" : null;
      // Positions in a shuffled order, all started together: most writers read the same item and race.
      const writers = Array.from({ length: 12 }, (_, i) => ({ sku: "45933041", bin, quantity: 100 + i, pos: position("2026-01-01T00:00:00.000Z", `race-${String((i * 7) % 12).padStart(2, "0")}`, 1) }));
      const outcomes = await Promise.all(writers.map((w) => replaceMany(env.deps, ORG, warehouse, [w], new Date().toISOString())));
      const newest = writers.reduce((a, b) => (a.pos > b.pos ? a : b));
      const [level] = await getStockLevels(env.deps, ORG, warehouse, ["45933041"]);
      expect(level!.onHand).toBe(newest.quantity);
      if (bin) expect(level!.bins).toEqual([{ bin, onHand: newest.quantity }]);
      const results = writers.map((w, i) => outcomes[i]!.get(w)!);
      expect(results[writers.indexOf(newest)]!.status).toBe("applied");
      const applied = results.filter((o) => o.status === "applied");
      // The ledger's deltas (one per applied write) sum to the change from 0 to the final level.
      expect(applied.reduce((sum, o) => sum + o.delta, 0)).toBe(newest.quantity);
      expect(results.every((o) => o.onHand >= 100)).toBe(true);
    });
  }
});
