/**
 * The inventory area's schema: the ShipHero-style sync operations of seed 001 (snake_case,
 * `request_id`/`complexity` in the payload, base64 global ids) and the warehouse-side catalog
 * operations that set up what a sync runs against. Permissions (declared here, checked by the
 * host): InventorySync:read|write, Inventory:read|write, Warehouse:read|write, Product:read|write.
 */
import { GraphQLError } from "graphql";
import type { GraphQLModule } from "../graphql/module.ts";
import { callerOrg, type GraphQLContext } from "../graphql/context.ts";
import { fromGlobalId, toGlobalId } from "../ids.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { getOrganization, organizationSubtree, reaches, type Organization } from "../auth/organizations.ts";
import { createBin, createWarehouse, getWarehouse, listBins, listWarehouses, type Slotting, type Warehouse } from "../catalog/warehouses.ts";
import { createProduct, getSkus } from "../catalog/products.ts";
import { assignSkus, getStockLevels, listStock, setStockManually, stockLedger, type StockLevel } from "../catalog/stock.ts";
import { abortBatch, createBatch, findBatchForCaller, listBatches, sortKey, type Batch } from "./batches.ts";
import { listRows, type SyncRow } from "./row-status.ts";
import { queueFetch, validateSyncUrl } from "./fetch.ts";
import { dropKey, presignUpload, uploadFileName } from "./drop.ts";

const typeDefs = /* GraphQL */ `
  # ---------------------------------------------------------------- inventory sync (seed 001)
  input InventorySyncInput {
    url: String!
    "base64 Warehouse:<n>, as inventory_sync_status shows it"
    warehouse_id: String!
    "base64 Account:<n> of the organization owning the warehouse (the caller or a descendant); optional"
    customer_account_id: String
  }
  input InventorySyncAbortInput {
    sync_id: String!
    reason: String
  }
  input InventorySyncUploadUrlInput {
    warehouse_id: String!
    customer_account_id: String
    "file name under the warehouse's drop prefix; .csv is appended when missing"
    file_name: String
  }
  type InventorySyncOutput {
    request_id: String
    complexity: Int
    sync_id: String
  }
  type InventorySyncAbortOutput {
    request_id: String
    complexity: Int
    sync: InventorySyncStatus
  }
  type InventorySyncUploadUrlOutput {
    request_id: String
    complexity: Int
    "presigned PUT URL for exactly this key (send Content-Type: text/csv)"
    url: String
    key: String
    expires_at: String
  }
  type InventorySyncStatusesQueryResult {
    request_id: String
    complexity: Int
    data(first: Int, after: String, last: Int, before: String): InventorySyncStatusConnection
  }
  type InventorySyncStatusQueryResult {
    request_id: String
    complexity: Int
    data: InventorySyncStatus
  }
  type InventorySyncItemsStatusQueryResult {
    request_id: String
    complexity: Int
    data(first: Int, after: String, last: Int, before: String): InventorySyncRowStatusConnection
  }
  type InventorySyncStatusConnection {
    pageInfo: PageInfo!
    edges: [InventorySyncStatusEdge]!
  }
  type InventorySyncStatusEdge {
    node: InventorySyncStatus
    cursor: String!
  }
  type InventorySyncRowStatusConnection {
    pageInfo: PageInfo!
    edges: [InventorySyncRowStatusEdge]!
  }
  type InventorySyncRowStatusEdge {
    node: InventorySyncRowStatus
    cursor: String!
  }
  "One CSV batch. status: pending, processing, success, error, aborted."
  type InventorySyncStatus {
    id: String
    url: String
    user_id: String
    account_id: String
    warehouse_id: String
    customer_account_id: String
    total_count: Int
    status: String
    error: String
    created_at: String
    updated_at: String
    success_count: Int
    error_count: Int
    finished_count: Int
    "the reason given to inventory_sync_abort"
    abort_reason: String
  }
  "One CSV row of a batch (rows appear as they are processed)."
  type InventorySyncRowStatus {
    id: String
    row: Int
    sku: String
    quantity: Int
    action: String
    reason: String
    location: String
    status: String
    error: String
    created_at: String
    updated_at: String
  }

  # ---------------------------------------------------------------- warehouses, SKUs, stock
  "A warehouse (ShipHero side). slotting: static (one quantity per SKU) or dynamic (per bin)."
  type Warehouse @readAs(type: "Warehouse") {
    "base64 Warehouse:<n>"
    id: String!
    legacy_id: Int!
    account_id: String!
    name: String!
    slotting: String!
    bins: [WarehouseBin!]! @listCost(size: 50)
    "stock of one SKU (null when the SKU is not stocked here)"
    stock(sku: String!): StockLevel @requires(perm: "Inventory:read")
    "stock levels in SKU order"
    stock_levels(first: Int, after: String): StockLevelConnection @requires(perm: "Inventory:read")
    "stock ledger of one SKU, newest first: every change with its delta, reason and source"
    ledger(sku: String!, first: Int): [StockLedgerEntry!]! @requires(perm: "Inventory:read")
  }
  type WarehouseBin {
    name: String!
    unassigned: Boolean!
  }
  type StockLevel {
    sku: String!
    warehouse_id: String!
    on_hand: Int!
    "per-bin quantities (dynamic slotting)"
    bins: [BinStock!]! @listCost(size: 20)
    updated_at: String
  }
  type BinStock {
    location: String!
    on_hand: Int!
  }
  type StockLevelConnection {
    pageInfo: PageInfo!
    edges: [StockLevelEdge!]!
  }
  type StockLevelEdge {
    node: StockLevel!
    cursor: String!
  }
  type StockLedgerEntry {
    sku: String!
    location: String
    delta: Int!
    on_hand: Int!
    reason: String
    "inventory_sync:<sync id>:<row> or manual:<user id>"
    source: String!
    created_at: String!
  }
  "A sellable unit (Centra productSize) as the warehouse side sees it."
  type CatalogSku @readAs(type: "Product") {
    id: Int!
    sku: String!
    size: String
    product_id: Int!
    variant_id: Int!
  }
  input WarehouseCreateInput {
    name: String!
    "static or dynamic"
    slotting: String!
  }
  input WarehouseBinCreateInput {
    warehouse_id: String!
    name: String!
  }
  input WarehouseSkusAssignInput {
    warehouse_id: String!
    skus: [String!]!
  }
  input CatalogSizeInput {
    sku: String!
    size: String
  }
  input CatalogVariantInput {
    name: String!
    sizes: [CatalogSizeInput!]
  }
  input CatalogProductCreateInput {
    name: String!
    variants: [CatalogVariantInput!]
  }
  input InventoryReplaceInput {
    warehouse_id: String!
    sku: String!
    quantity: Int!
    "bin (dynamic slotting only); missing = the unassigned bin"
    location: String
    reason: String
  }
  type WarehouseOutput {
    request_id: String
    complexity: Int
    warehouse: Warehouse
  }
  type CatalogProductOutput {
    request_id: String
    complexity: Int
    product_id: Int
    variant_ids: [Int!]
    skus: [CatalogSku!] @listCost(size: 20)
  }
  type InventoryReplaceOutput {
    request_id: String
    complexity: Int
    stock: StockLevel
  }

  extend type Query {
    inventory_sync_statuses(warehouse_id: String, customer_account_id: String, status: String): InventorySyncStatusesQueryResult
      @requires(perm: "InventorySync:read")
    inventory_sync_status(id: String!): InventorySyncStatusQueryResult @requires(perm: "InventorySync:read")
    inventory_sync_items_status(id: String!, status: String): InventorySyncItemsStatusQueryResult @requires(perm: "InventorySync:read")
    "warehouses of the caller's organization (and, with include_descendants, of its descendants)"
    warehouses(include_descendants: Boolean = false): [Warehouse!]! @requires(perm: "Warehouse:read") @listCost(size: 20)
    warehouse(id: String!, customer_account_id: String): Warehouse @requires(perm: "Warehouse:read")
    catalog_skus(skus: [String!]!): [CatalogSku!]! @requires(perm: "Product:read") @listCost(size: 100)
  }

  extend type Mutation {
    inventory_sync(data: InventorySyncInput!): InventorySyncOutput @requires(perm: "InventorySync:write")
    inventory_sync_abort(data: InventorySyncAbortInput!): InventorySyncAbortOutput @requires(perm: "InventorySync:write")
    inventory_sync_upload_url(data: InventorySyncUploadUrlInput!): InventorySyncUploadUrlOutput @requires(perm: "InventorySync:write")
    warehouse_create(data: WarehouseCreateInput!): WarehouseOutput @requires(perm: "Warehouse:write")
    warehouse_bin_create(data: WarehouseBinCreateInput!): WarehouseOutput @requires(perm: "Warehouse:write")
    warehouse_skus_assign(data: WarehouseSkusAssignInput!): WarehouseOutput @requires(perm: "Warehouse:write")
    catalog_product_create(data: CatalogProductCreateInput!): CatalogProductOutput @requires(perm: "Product:write")
    inventory_replace(data: InventoryReplaceInput!): InventoryReplaceOutput @requires(perm: "Inventory:write")
  }
`;

// ---------------------------------------------------------------- helpers

/** ShipHero timestamps: UTC with `+00:00`, seconds precision. */
export const shipheroTime = (iso: string | null | undefined) => (iso ? iso.replace(/(\.\d+)?Z$/, "+00:00") : null);

const envelope = (ctx: GraphQLContext) => ({ request_id: ctx.state.requestId, complexity: ctx.state.complexity });

function pageSize(args: { first?: number | null; last?: number | null; before?: string | null }, fallback: number): number {
  if (args.last != null || args.before != null) throw new GraphQLError("only forward pagination (first/after) is supported here", { extensions: { code: "BAD_USER_INPUT" } });
  const first = args.first ?? fallback;
  if (!Number.isInteger(first) || first < 0 || first > 1000) throw new GraphQLError("first must be between 0 and 1000", { extensions: { code: "BAD_USER_INPUT", argument: "first" } });
  return first;
}

const encode = (value: string) => Buffer.from(value).toString("base64url");
function decodeCursor(cursor: string, pattern: RegExp): string {
  const value = Buffer.from(cursor, "base64url").toString("utf8");
  if (!pattern.test(value)) throw new GraphQLError("Invalid cursor", { extensions: { code: "BAD_USER_INPUT", argument: "after" } });
  return value;
}

/** An organization the caller reaches, named by a base64 Account id (not found otherwise: no details). */
async function reachableOrg(ctx: GraphQLContext, value: string, field: string): Promise<Organization> {
  const caller = callerOrg(ctx);
  let id: number;
  try {
    id = fromGlobalId("Account", value, field);
  } catch {
    throw new NotFoundError(`${field} "${value}" not found: it is not a valid Account id`, { field });
  }
  const org = id === caller.id ? caller : await getOrganization(ctx.deps, id);
  if (!org || !reaches(caller, org)) throw new NotFoundError(`${field} "${value}" not found`, { field });
  return org;
}

/**
 * A warehouse the caller may use: in customer_account_id's organization when given, else the
 * caller's own, else exactly one of its descendants' (warehouse ids are per organization).
 */
async function resolveWarehouse(ctx: GraphQLContext, value: string, customerAccount: string | null | undefined, field = "warehouse_id"): Promise<Warehouse> {
  const caller = callerOrg(ctx);
  let id: number;
  try {
    id = fromGlobalId("Warehouse", value, field);
  } catch {
    throw new NotFoundError(`${field} "${value}" not found: it is not a valid Warehouse id`, { field });
  }
  if (customerAccount) {
    const org = await reachableOrg(ctx, customerAccount, "customer_account_id");
    const found = await getWarehouse(ctx.deps, org.id, id);
    if (!found) throw new NotFoundError(`${field} "${value}" not found`, { field });
    return found;
  }
  const own = await getWarehouse(ctx.deps, caller.id, id);
  if (own) return own;
  const descendants = (await organizationSubtree(ctx.deps, caller)).filter((o) => o.id !== caller.id);
  const found = (await Promise.all(descendants.map((o) => getWarehouse(ctx.deps, o.id, id)))).filter((w): w is Warehouse => Boolean(w));
  if (found.length > 1) throw new ValidationError(`${field} "${value}" exists in several descendant organizations: pass customer_account_id`, { field });
  if (!found.length) throw new NotFoundError(`${field} "${value}" not found`, { field });
  return found[0]!;
}

export function renderBatch(b: Batch) {
  return {
    id: b.id,
    url: b.url,
    user_id: b.userId ? toGlobalId("User", b.userId) : null,
    account_id: toGlobalId("Account", b.orgId),
    warehouse_id: toGlobalId("Warehouse", b.warehouseId),
    customer_account_id: b.customerAccountId ? toGlobalId("Account", b.customerAccountId) : null,
    total_count: b.totalCount,
    status: b.status,
    error: b.error,
    created_at: shipheroTime(b.createdAt),
    updated_at: shipheroTime(b.updatedAt),
    success_count: b.successCount,
    error_count: b.errorCount,
    finished_count: b.finishedCount,
    abort_reason: b.abortReason,
  };
}

export function renderRow(r: SyncRow) {
  return {
    id: r.id,
    row: r.row,
    sku: r.sku,
    quantity: r.quantity,
    action: r.action,
    reason: r.reason,
    location: r.location,
    status: r.status,
    error: r.error,
    created_at: shipheroTime(r.createdAt),
    updated_at: shipheroTime(r.updatedAt),
  };
}

const renderWarehouse = (w: Warehouse) => ({ ...w, _w: w, id: toGlobalId("Warehouse", w.id), legacy_id: w.id, account_id: toGlobalId("Account", w.orgId) });
type RenderedWarehouse = ReturnType<typeof renderWarehouse>;

const renderLevel = (l: StockLevel) => ({
  sku: l.sku,
  warehouse_id: toGlobalId("Warehouse", l.warehouseId),
  on_hand: l.onHand,
  bins: l.bins.map((b) => ({ location: b.bin, on_hand: b.onHand })),
  updated_at: shipheroTime(l.updatedAt),
});

const STATUS_FILTER = new Set(["pending", "processing", "success", "error", "aborted"]);

// ---------------------------------------------------------------- resolvers

type Args<T> = T;

export const inventoryModule: GraphQLModule = {
  name: "inventory",
  typeDefs,
  resolvers: {
    Query: {
      inventory_sync_statuses: async (_: unknown, args: { warehouse_id?: string | null; customer_account_id?: string | null; status?: string | null }, ctx: GraphQLContext) => {
        if (args.status != null && !STATUS_FILTER.has(args.status)) {
          throw new ValidationError(`status must be one of ${[...STATUS_FILTER].join(", ")}`, { argument: "status" });
        }
        const customer = args.customer_account_id ? await reachableOrg(ctx, args.customer_account_id, "customer_account_id") : undefined;
        const warehouse = args.warehouse_id ? await resolveWarehouse(ctx, args.warehouse_id, args.customer_account_id) : undefined;
        return {
          ...envelope(ctx),
          filter: {
            status: args.status ?? undefined,
            warehouse: warehouse ? { orgId: warehouse.orgId, warehouseId: warehouse.id } : undefined,
            orgIds: customer ? [customer.id] : undefined,
          },
        };
      },
      inventory_sync_status: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => ({
        ...envelope(ctx),
        data: renderBatch(await findBatchForCaller(ctx.deps, callerOrg(ctx), args.id)),
      }),
      inventory_sync_items_status: async (_: unknown, args: { id: string; status?: string | null }, ctx: GraphQLContext) => {
        const batch = await findBatchForCaller(ctx.deps, callerOrg(ctx), args.id);
        if (args.status != null && args.status !== "success" && args.status !== "error") throw new ValidationError("status must be success or error", { argument: "status" });
        return { ...envelope(ctx), batch, status: args.status ?? undefined };
      },
      warehouses: async (_: unknown, args: { include_descendants?: boolean }, ctx: GraphQLContext) => {
        const caller = callerOrg(ctx);
        const orgs = args.include_descendants ? await organizationSubtree(ctx.deps, caller) : [caller];
        return (await Promise.all(orgs.map((o) => listWarehouses(ctx.deps, o.id)))).flat().map(renderWarehouse);
      },
      warehouse: async (_: unknown, args: { id: string; customer_account_id?: string | null }, ctx: GraphQLContext) =>
        renderWarehouse(await resolveWarehouse(ctx, args.id, args.customer_account_id, "id")),
      catalog_skus: async (_: unknown, args: { skus: string[] }, ctx: GraphQLContext) => {
        if (args.skus.length > 100) throw new ValidationError("at most 100 skus per request", { argument: "skus" });
        const found = await getSkus(ctx.deps, callerOrg(ctx).id, args.skus);
        return args.skus.flatMap((code) => (found.has(code) ? [renderSku(found.get(code)!)] : []));
      },
    },
    InventorySyncStatusesQueryResult: {
      data: async (parent: { filter: Parameters<typeof listBatches>[2] }, args: { first?: number; after?: string; last?: number; before?: string }, ctx: GraphQLContext) => {
        const first = pageSize(args, 25);
        const after = args.after ? decodeCursor(args.after, /^\d{4}-\d\d-\d\dT[\d:.]+Z#[0-9a-f]{24}$/) : undefined;
        const { batches, hasNextPage } = await listBatches(ctx.deps, callerOrg(ctx), parent.filter, { first, after });
        const edges = batches.map((b) => ({ node: renderBatch(b), cursor: encode(sortKey(b)) }));
        return { edges, pageInfo: { hasNextPage, hasPreviousPage: Boolean(after), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
      },
    },
    InventorySyncItemsStatusQueryResult: {
      data: async (parent: { batch: Batch; status?: string }, args: { first?: number; after?: string; last?: number; before?: string }, ctx: GraphQLContext) => {
        const first = pageSize(args, 100);
        const after = args.after ? Number(decodeCursor(args.after, /^row:\d{1,10}$/).slice(4)) : undefined;
        const { rows, hasNextPage } = await listRows(ctx.deps, parent.batch.orgId, parent.batch.id, { first, after, status: parent.status });
        const edges = rows.map((r) => ({ node: renderRow(r), cursor: encode(`row:${r.row}`) }));
        return { edges, pageInfo: { hasNextPage, hasPreviousPage: after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
      },
    },
    Warehouse: {
      bins: async (w: RenderedWarehouse, _: unknown, ctx: GraphQLContext) => (await listBins(ctx.deps, w.orgId, w.legacy_id)).map((b) => ({ name: b.name, unassigned: b.unassigned })),
      stock: async (w: RenderedWarehouse, args: { sku: string }, ctx: GraphQLContext) => {
        const [level] = await getStockLevels(ctx.deps, w.orgId, w._w, [args.sku]);
        return level ? renderLevel(level) : null;
      },
      stock_levels: async (w: RenderedWarehouse, args: { first?: number; after?: string }, ctx: GraphQLContext) => {
        const first = pageSize(args, 50);
        const after = args.after ? decodeCursor(args.after, /^sku:.+$/).slice(4) : undefined;
        const { levels, hasNextPage } = await listStock(ctx.deps, w.orgId, w._w, { first, after });
        const edges = levels.map((l) => ({ node: renderLevel(l), cursor: encode(`sku:${l.sku}`) }));
        return { edges, pageInfo: { hasNextPage, hasPreviousPage: Boolean(after), startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } };
      },
      ledger: async (w: RenderedWarehouse, args: { sku: string; first?: number }, ctx: GraphQLContext) => {
        const entries = await stockLedger(ctx.deps, w.orgId, w.legacy_id, args.sku, Math.min(Math.max(args.first ?? 50, 1), 500));
        return entries.map((e) => ({ sku: e.sku, location: e.bin, delta: e.delta, on_hand: e.onHand, reason: e.reason, source: e.source, created_at: shipheroTime(e.at) }));
      },
    },
    Mutation: {
      inventory_sync: async (_: unknown, args: Args<{ data: { url: string; warehouse_id: string; customer_account_id?: string | null } }>, ctx: GraphQLContext) => {
        const url = validateSyncUrl(args.data.url);
        const warehouse = await resolveWarehouse(ctx, args.data.warehouse_id, args.data.customer_account_id, "warehouse_id");
        const customer = args.data.customer_account_id ? warehouse.orgId : null;
        const { batch } = await createBatch(ctx.deps, {
          orgId: warehouse.orgId,
          warehouseId: warehouse.id,
          userId: ctx.state.principal?.userId ?? null,
          customerAccountId: customer,
          url: url.toString(),
          source: "url",
        });
        await queueFetch(ctx.deps, { v: 1, orgId: batch.orgId, batchId: batch.id });
        return { ...envelope(ctx), sync_id: batch.id };
      },
      inventory_sync_abort: async (_: unknown, args: { data: { sync_id: string; reason?: string | null } }, ctx: GraphQLContext) => {
        const batch = await findBatchForCaller(ctx.deps, callerOrg(ctx), args.data.sync_id);
        return { ...envelope(ctx), sync: renderBatch(await abortBatch(ctx.deps, batch, args.data.reason ?? null)) };
      },
      inventory_sync_upload_url: async (_: unknown, args: { data: { warehouse_id: string; customer_account_id?: string | null; file_name?: string | null } }, ctx: GraphQLContext) => {
        const warehouse = await resolveWarehouse(ctx, args.data.warehouse_id, args.data.customer_account_id);
        const key = dropKey(warehouse.orgId, warehouse.id, uploadFileName(args.data.file_name, `upload-${ctx.state.requestId}`));
        const signed = await presignUpload(ctx.deps, key);
        return { ...envelope(ctx), url: signed.url, key, expires_at: shipheroTime(signed.expiresAt) };
      },
      warehouse_create: async (_: unknown, args: { data: { name: string; slotting: string } }, ctx: GraphQLContext) => {
        const warehouse = await createWarehouse(ctx.deps, callerOrg(ctx).id, { name: args.data.name, slotting: args.data.slotting as Slotting });
        return { ...envelope(ctx), warehouse: renderWarehouse(warehouse) };
      },
      warehouse_bin_create: async (_: unknown, args: { data: { warehouse_id: string; name: string } }, ctx: GraphQLContext) => {
        const warehouse = await resolveWarehouse(ctx, args.data.warehouse_id, null);
        await createBin(ctx.deps, warehouse.orgId, warehouse.id, args.data.name);
        return { ...envelope(ctx), warehouse: renderWarehouse(warehouse) };
      },
      warehouse_skus_assign: async (_: unknown, args: { data: { warehouse_id: string; skus: string[] } }, ctx: GraphQLContext) => {
        const warehouse = await resolveWarehouse(ctx, args.data.warehouse_id, null);
        if (!args.data.skus.length || args.data.skus.length > 100) throw new ValidationError("skus must hold 1 to 100 SKUs", { path: "data.skus" });
        const { unknown } = await assignSkus(ctx.deps, warehouse.orgId, warehouse.id, args.data.skus);
        if (unknown.length) throw new NotFoundError(`SKU ${unknown.join(", ")} not found in this organization`, { skus: unknown });
        return { ...envelope(ctx), warehouse: renderWarehouse(warehouse) };
      },
      catalog_product_create: async (_: unknown, args: { data: { name: string; variants?: Array<{ name: string; sizes?: Array<{ sku: string; size?: string | null }> }> } }, ctx: GraphQLContext) => {
        const out = await createProduct(ctx.deps, callerOrg(ctx).id, args.data);
        return { ...envelope(ctx), product_id: out.product.id, variant_ids: out.variants.map((v) => v.id), skus: out.skus.map(renderSku) };
      },
      inventory_replace: async (_: unknown, args: { data: { warehouse_id: string; sku: string; quantity: number; location?: string | null; reason?: string | null } }, ctx: GraphQLContext) => {
        const warehouse = await resolveWarehouse(ctx, args.data.warehouse_id, null);
        const level = await setStockManually(ctx.deps, warehouse.orgId, {
          warehouseId: warehouse.id,
          sku: args.data.sku,
          quantity: args.data.quantity,
          location: args.data.location,
          reason: args.data.reason ?? "",
          source: `manual:${toGlobalId("User", ctx.state.principal?.userId ?? 0)}`,
          requestId: ctx.state.requestId,
        });
        return { ...envelope(ctx), stock: renderLevel(level) };
      },
    },
  },
};

const renderSku = (s: { id: number; sku: string; size: string | null; productId: number; variantId: number }) => ({
  id: s.id,
  sku: s.sku,
  size: s.size,
  product_id: s.productId,
  variant_id: s.variantId,
});
