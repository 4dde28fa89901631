/**
 * Every key of the single table is built here and nowhere else. Tenant data lives under
 * partition keys that start with `T#<organizationId>`, so no Query can cross tenants by accident.
 * The only global partitions are the entry points that must be found before the tenant is known:
 * API keys (by hash), organizations by sentera_id, and the global organization counter.
 * docs/data-model.md lists every access pattern.
 */
const pad = (n: number, width = 10) => String(n).padStart(width, "0");

/** Partition-key prefix of everything an organization owns. */
export const tenant = (orgId: number) => `T#${orgId}`;

export const keys = {
  // --- global entry points -------------------------------------------------------------
  /** API key, found by the SHA-256 of the presented secret. */
  apiKey: (secretHash: string) => ({ pk: `APIKEY#${secretHash}`, sk: "KEY" }),
  /** Uniqueness guard and lookup of an organization by its sentera_id. */
  orgBySenteraId: (senteraId: string) => ({ pk: `SENTERA_ORG#${senteraId}`, sk: "ORG" }),
  /** Counter of organization ids (organizations are numbered globally: `Account:<n>`). */
  globalCounter: (name: string) => ({ pk: "GLOBAL#COUNTERS", sk: name }),

  // --- organizations (tenants) ---------------------------------------------------------
  org: (orgId: number) => ({ pk: tenant(orgId), sk: "ORG" }),
  /** gsi1: an organization's subtree is a begins_with on its materialized path. */
  orgTree: (rootId: number, path: string) => ({ gsi1pk: `ORGTREE#${rootId}`, gsi1sk: path }),
  /** Materialized path segment: fixed width so lexical order = tree order. */
  orgPathSegment: (orgId: number) => `${pad(orgId)}/`,
  /** API keys of an organization, for listing and revoking (the key item itself is global). */
  orgApiKey: (orgId: number, keyId: string) => ({ pk: `${tenant(orgId)}#APIKEYS`, sk: keyId }),

  // --- per-tenant integer id counters ---------------------------------------------------
  counter: (orgId: number, entity: string) => ({ pk: `${tenant(orgId)}#COUNTERS`, sk: entity }),

  // --- uniqueness guards (written in the same transaction as the entity) ---------------
  unique: (orgId: number, kind: string, value: string) => ({ pk: `${tenant(orgId)}#UNIQUE#${kind}#${value}`, sk: "U" }),
};

export type TableKey = { pk: string; sk: string };
export { pad };

// --- catalog (core/catalog): products, variants, SKUs, warehouses, bins, stock -----------------
// Products and variants are one item each (found by id with GetItem/BatchGetItem); a SKU's item is
// keyed by its code, so the item itself is the per-organization uniqueness guard and the CSV
// lookup. Product names are also packed into a few "name index" items of one partition, so a
// `contains` search reads ~20 items instead of scanning (see docs/inventory.md).
export const catalogKeys = {
  product: (orgId: number, productId: number) => ({ pk: `${tenant(orgId)}#PRODUCT#${pad(productId)}`, sk: "PRODUCT" }),
  variant: (orgId: number, variantId: number) => ({ pk: `${tenant(orgId)}#VARIANT#${pad(variantId)}`, sk: "VARIANT" }),
  /** gsi1 of a variant: the variants of a product in id order. */
  variantsOfProduct: (orgId: number, productId: number, variantId: number) => ({
    gsi1pk: `${tenant(orgId)}#PRODUCTVARIANTS#${pad(productId)}`,
    gsi1sk: pad(variantId),
  }),
  variantsOfProductPk: (orgId: number, productId: number) => `${tenant(orgId)}#PRODUCTVARIANTS#${pad(productId)}`,
  /** A SKU by its code (unique per organization). */
  sku: (orgId: number, code: string) => ({ pk: `${tenant(orgId)}#SKU#${code}`, sk: "SKU" }),
  /** gsi1 of a SKU: by its numeric (Centra productSize) id. */
  skuById: (orgId: number, skuId: number) => ({ gsi1pk: `${tenant(orgId)}#SKUID#${pad(skuId)}`, gsi1sk: "SKU" }),
  skuByIdPk: (orgId: number, skuId: number) => `${tenant(orgId)}#SKUID#${pad(skuId)}`,
  /** gsi2 of a SKU: the SKUs of a variant, by code. */
  skusOfVariant: (orgId: number, variantId: number, code: string) => ({ gsi2pk: `${tenant(orgId)}#VARIANTSKUS#${pad(variantId)}`, gsi2sk: code }),
  skusOfVariantPk: (orgId: number, variantId: number) => `${tenant(orgId)}#VARIANTSKUS#${pad(variantId)}`,
  /** Product-name index: bucket items of 500 product ids, attribute `n<id>` = name. */
  productNamesPk: (orgId: number) => `${tenant(orgId)}#PRODUCTNAMES`,
  productNameBucket: (orgId: number, bucket: number) => ({ pk: `${tenant(orgId)}#PRODUCTNAMES`, sk: `B#${pad(bucket, 6)}` }),

  // Warehouses: one partition per organization (few per org), ordered by id.
  warehousesPk: (orgId: number) => `${tenant(orgId)}#WAREHOUSES`,
  warehouse: (orgId: number, warehouseId: number) => ({ pk: `${tenant(orgId)}#WAREHOUSES`, sk: `W#${pad(warehouseId)}` }),
  /** Bins of a warehouse, by name (the unassigned bin has a reserved name). */
  bin: (orgId: number, warehouseId: number, binName: string) => ({ pk: `${tenant(orgId)}#WH#${pad(warehouseId)}#BINS`, sk: `B#${binName}` }),
  binsPk: (orgId: number, warehouseId: number) => `${tenant(orgId)}#WH#${pad(warehouseId)}#BINS`,
  /**
   * Stock of a SKU in a warehouse: `L#` = the SKU-level total (also "SKU is stocked here"), `L#<sku>#B#<bin>`
   * = per-bin quantity for dynamic slotting. One partition per warehouse, sorted by SKU code.
   */
  stockPk: (orgId: number, warehouseId: number) => `${tenant(orgId)}#WH#${pad(warehouseId)}#STOCK`,
  /** Stock level / bin items are written conditionally on the item as read (catalog/stock.ts replaceMany): every writer must change `pos` or bump `rev`. */
  stock: (orgId: number, warehouseId: number, code: string) => ({ pk: `${tenant(orgId)}#WH#${pad(warehouseId)}#STOCK`, sk: `L#${code}` }),
  stockBin: (orgId: number, warehouseId: number, code: string, binName: string) => ({
    pk: `${tenant(orgId)}#WH#${pad(warehouseId)}#STOCK`,
    sk: `L#${code}#B#${binName}`,
  }),
  /** Stock ledger of one SKU in one warehouse (newest last); sync rows double as entries. */
  ledgerPk: (orgId: number, warehouseId: number, code: string) => `${tenant(orgId)}#WH#${pad(warehouseId)}#LEDGER#${code}`,
};

// --- inventory sync (core/inventory): batches and their rows ---------------------------------
export const inventoryKeys = {
  /** A batch (its status and counters). gsi2 lists an organization's batches newest first. */
  batch: (orgId: number, batchId: string) => ({ pk: `${tenant(orgId)}#SYNC#${batchId}`, sk: "BATCH" }),
  batchList: (orgId: number, createdAt: string, batchId: string) => ({ gsi2pk: `${tenant(orgId)}#SYNCS`, gsi2sk: `${createdAt}#${batchId}` }),
  batchListPk: (orgId: number) => `${tenant(orgId)}#SYNCS`,
  /** gsi1 of a batch: the batches of one warehouse, newest first. */
  batchByWarehouse: (orgId: number, warehouseId: number, createdAt: string, batchId: string) => ({
    gsi1pk: `${tenant(orgId)}#WH#${pad(warehouseId)}#SYNCS`,
    gsi1sk: `${createdAt}#${batchId}`,
  }),
  batchByWarehousePk: (orgId: number, warehouseId: number) => `${tenant(orgId)}#WH#${pad(warehouseId)}#SYNCS`,
  rowsPk: (orgId: number, batchId: string) => `${tenant(orgId)}#SYNC#${batchId}`,
  /** A chunk's row statuses, keyed by its first row (so chunk order = row order); also its "counted" marker. */
  chunk: (orgId: number, batchId: string, firstRow: number) => ({ pk: `${tenant(orgId)}#SYNC#${batchId}`, sk: `C#${pad(firstRow)}` }),
  /** A sync row's ledger entry (only rows that changed stock have one). */
  ledgerRow: (orgId: number, batchId: string, row: number) => ({ pk: `${tenant(orgId)}#SYNC#${batchId}`, sk: `L#${pad(row)}` }),
};

// --- wholesale (core/wholesale): B2B setup --------------------------------------------------
// Reference data (stores, markets, pricelists, allocation rules, campaigns) is small per tenant:
// one partition, so a listing is one Query and lookups by id are one BatchGetItem. Accounts,
// buyers and delivery windows have a partition each per tenant (listing = one Query in id order).
// A delivery window's variants live inline on its item (a map keyed by variant id), so a page of
// delivery windows with all their variants is one Query and set/unset is one atomic UpdateItem.
export const wholesaleKeys = {
  refPk: (orgId: number) => `${tenant(orgId)}#WSREF`,
  store: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSREF`, sk: `STORE#${pad(id)}` }),
  market: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSREF`, sk: `MARKET#${pad(id)}` }),
  pricelist: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSREF`, sk: `PRICELIST#${pad(id)}` }),
  allocationRule: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSREF`, sk: `AR#${pad(id)}` }),
  campaign: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSREF`, sk: `CAMPAIGN#${pad(id)}` }),
  accountsPk: (orgId: number) => `${tenant(orgId)}#WSACCOUNTS`,
  account: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSACCOUNTS`, sk: `A#${pad(id)}` }),
  buyersPk: (orgId: number) => `${tenant(orgId)}#WSBUYERS`,
  buyer: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSBUYERS`, sk: `B#${pad(id)}` }),
  /** gsi1 of a buyer: the buyers of an account in id order. */
  buyerOfAccount: (orgId: number, accountId: number, buyerId: number) => ({ gsi1pk: `${tenant(orgId)}#WSACCOUNT#${pad(accountId)}#BUYERS`, gsi1sk: pad(buyerId) }),
  buyersOfAccountPk: (orgId: number, accountId: number) => `${tenant(orgId)}#WSACCOUNT#${pad(accountId)}#BUYERS`,
  delwinsPk: (orgId: number) => `${tenant(orgId)}#WSDELWINS`,
  delwin: (orgId: number, id: number) => ({ pk: `${tenant(orgId)}#WSDELWINS`, sk: `D#${pad(id)}` }),
};

// --- orders (core/orders) and order sync (core/sync) -----------------------------------------
// One partition per order: the order item (header + embedded lines) and its history events, so one
// TransactWriteItems keeps them consistent. The compact sync index (one small item per order or
// tombstone, 8 shards per organization, sk = sentera_id) serves sync_orders without reading orders.
// Identifier guards (number, accountOrderNumber, sentera_id) use keys.unique and hold the order uuid.
const ORDER_SYNC_SHARDS = 8;
export const orderKeys = {
  orderPk: (orgId: number, uuidHex: string) => `${tenant(orgId)}#ORDER#${uuidHex}`,
  order: (orgId: number, uuidHex: string) => ({ pk: `${tenant(orgId)}#ORDER#${uuidHex}`, sk: "ORDER" }),
  /** History of an order: one event per version (the version makes the key unique). */
  event: (orgId: number, uuidHex: string, version: number) => ({ pk: `${tenant(orgId)}#ORDER#${uuidHex}`, sk: `EVENT#${pad(version)}` }),
  /** gsi1 of an order item: an organization's orders by number (list, naive sync baseline). */
  listByNumber: (orgId: number, number: number) => ({ gsi1pk: `${tenant(orgId)}#ORDERS`, gsi1sk: pad(number) }),
  listByNumberPk: (orgId: number) => `${tenant(orgId)}#ORDERS`,
  /** gsi2 of an order item: an organization's orders by order date (orderConnection sort). */
  listByDate: (orgId: number, orderDate: string, number: number) => ({ gsi2pk: `${tenant(orgId)}#ORDERSBYDATE`, gsi2sk: `${orderDate}#${pad(number)}` }),
  listByDatePk: (orgId: number) => `${tenant(orgId)}#ORDERSBYDATE`,
  syncShards: ORDER_SYNC_SHARDS,
  syncShardPk: (orgId: number, shard: number) => `${tenant(orgId)}#OSYNC#${shard}`,
  syncEntry: (orgId: number, shard: number, senteraId: string) => ({ pk: `${tenant(orgId)}#OSYNC#${shard}`, sk: senteraId }),
  byNumber: (orgId: number, number: number) => keys.unique(orgId, "OrderNumber", String(number)),
  byAccountOrderNumber: (orgId: number, value: string) => keys.unique(orgId, "AccountOrderNumber", value),
  bySenteraId: (orgId: number, senteraId: string) => keys.unique(orgId, "OrderSenteraId", senteraId),
};
