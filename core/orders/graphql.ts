/**
 * The orders area's slice of the schema: one stored order shown through three vocabularies
 * (API-CONTRACT, 6.4): `interface Order implements SyncItem` with the union of the
 * fields, implemented by WholesaleOrder and DirectToConsumerOrder; sync_orders (seed 000); the
 * order read of seed 002 (`orders(where:)`), `order(...)`; creation (§7) and deletion.
 *
 * The GraphQL source of an order is the stored Order record itself (other modules extend
 * WholesaleOrder and read `b2bAccountId`, `buyerId`, `storeId`, `marketId`, `pricelistId` from it),
 * optionally marked with `surface: "zonos"` by Zonos-style roots so `id` and `status` are projected.
 */
import { createHash } from "node:crypto";
import type { GraphQLModule } from "../graphql/module.ts";
import { callerOrg, type GraphQLContext } from "../graphql/context.ts";
import type { AddressRecord, MoneySource } from "../graphql/shared-types.ts";
import { ConflictError, DomainError, NotFoundError, UserErrors, ValidationError, type UserError } from "../errors.ts";
import { lineQuantity, type Order, type OrderLine, type OrderStatus } from "./model.ts";
import { uuidHex } from "./codec.ts";
import { createOrder, deleteOrder, findOrder, listOrders, type Actor } from "./repository.ts";
import type { AddressInput, CreateOrderInput, LineInput } from "./validate.ts";
import { isoInZone, phpDate, utcZ } from "./time.ts";
import { syncOrders, type DeletedSyncItem, type SyncFailure } from "../sync/sync-orders.ts";
import { findCurrency } from "../geo/countries.ts";

export type OrderSource = Order & { surface?: "zonos" };
interface LineSource {
  line: OrderLine;
  order: OrderSource;
}

const typeDefs = /* GraphQL */ `
  "Anything sync_orders returns (seed 000): a live order or a tombstone."
  interface SyncItem {
    sentera_id: ID!
    content_hash: String!
  }

  "Tombstone of a deleted order (returned in sync_orders.deleted): its last content hash."
  type DeletedSyncItem implements SyncItem {
    sentera_id: ID!
    content_hash: String!
  }

  "An order that could not be serialized during a sync (API-CONTRACT I-5)."
  type SyncError {
    sentera_id: ID
    content_hash: String
    message: String!
  }

  type SyncOrdersResult {
    deleted: [SyncItem!]! @listCost(size: 50)
    failed: [SyncError!] @listCost(size: 5)
    remaining_count: Int!
    upserted: [SyncItem!]! @listCost(size: 50)
  }

  "One lifecycle, three vocabularies: Zonos-style reads show OPEN for any not-yet-final state."
  enum OrderStatus {
    PENDING
    CONFIRMED
    PROCESSING
    COMPLETED
    OPEN
    CANCELLED
    ARCHIVED
  }

  enum OrderSort {
    orderDate_ASC
    orderDate_DESC
    number_ASC
    number_DESC
  }

  "Identifies one order: the 32-hex id (or order_<uuid>) or the integer number; one of them."
  input OrderInput {
    id: String
    number: Int
  }

  input OrderFilter {
    id: String
    number: Int
    accountOrderNumber: String
    status: OrderStatus
    "On-hold orders are left out unless this is given (API-CONTRACT H3)."
    isOnHold: Boolean
  }

  interface Order implements SyncItem @readAs(type: "Order") {
    "32-hex (Centra) or order_<uuid> (Zonos): the same 128-bit key"
    id: ID!
    number: Int!
    status: OrderStatus!
    isOnHold: Boolean!
    isLocked: Boolean!
    isInternal: Boolean!
    "PHP date() pattern, e.g. \\"Y-m-d\\"; default ISO-8601 in the store's time zone"
    orderDate(format: String): String!
    grandTotal(includingTax: Boolean = true): MonetaryValue!
    "fully cancelled lines are hidden unless includeFullyCancelled: true"
    lines(includeFullyCancelled: Boolean = false): [OrderLine!]! @listCost(size: 5)
    discountsApplied: [AppliedDiscount!]! @listCost(size: 3)
    shippingAddress: Address @requires(perm: "Order.shippingAddress:read")
    billingAddress: Address @requires(perm: "Order.billingAddress:read")
    accountOrderNumber: String
    currencyCode: String!
    "Zonos-style items: every line, zero-quantity ones included"
    items: [OrderItem!]! @listCost(size: 5)
    createdAt: DateTime!
    createdBy: ID
    updatedAt: DateTime!
    updatedBy: ID
    "optimistic-concurrency version: +1 on every change"
    version: Int!
    sentera_id: ID!
    content_hash: String!
  }

  type WholesaleOrder implements Order & SyncItem {
    id: ID!
    number: Int!
    status: OrderStatus!
    isOnHold: Boolean!
    isLocked: Boolean!
    isInternal: Boolean!
    orderDate(format: String): String!
    grandTotal(includingTax: Boolean = true): MonetaryValue!
    lines(includeFullyCancelled: Boolean = false): [OrderLine!]! @listCost(size: 5)
    discountsApplied: [AppliedDiscount!]! @listCost(size: 3)
    shippingAddress: Address @requires(perm: "Order.shippingAddress:read")
    billingAddress: Address @requires(perm: "Order.billingAddress:read")
    accountOrderNumber: String
    currencyCode: String!
    items: [OrderItem!]! @listCost(size: 5)
    createdAt: DateTime!
    createdBy: ID
    updatedAt: DateTime!
    updatedBy: ID
    version: Int!
    sentera_id: ID!
    content_hash: String!
    "the buyer-contact snapshot set by updateWholesaleOrder(buyerInfo) (API-CONTRACT I-53)"
    buyerInfo: BuyerInfo
  }

  type DirectToConsumerOrder implements Order & SyncItem {
    id: ID!
    number: Int!
    status: OrderStatus!
    isOnHold: Boolean!
    isLocked: Boolean!
    isInternal: Boolean!
    orderDate(format: String): String!
    grandTotal(includingTax: Boolean = true): MonetaryValue!
    lines(includeFullyCancelled: Boolean = false): [OrderLine!]! @listCost(size: 5)
    discountsApplied: [AppliedDiscount!]! @listCost(size: 3)
    shippingAddress: Address @requires(perm: "Order.shippingAddress:read")
    billingAddress: Address @requires(perm: "Order.billingAddress:read")
    accountOrderNumber: String
    currencyCode: String!
    items: [OrderItem!]! @listCost(size: 5)
    createdAt: DateTime!
    createdBy: ID
    updatedAt: DateTime!
    updatedBy: ID
    version: Int!
    sentera_id: ID!
    content_hash: String!
  }

  type BuyerInfo {
    firstName: String
    lastName: String
    email: String
  }

  "What the line sold, as snapshotted on the order (the catalog may have changed since)."
  type OrderProduct @readAs(type: "Product") {
    id: Int
    name: String!
  }

  type OrderProductVariant @readAs(type: "ProductVariant") {
    id: Int
    name: String
  }

  type OrderLine {
    id: Int!
    product: OrderProduct
    productVariant: OrderProductVariant
    sku: String
    size: String
    "ordered − cancelled (shipped units included)"
    quantity: Int!
    orderedQuantity: Int!
    cancelledQuantity: Int!
    shippedQuantity: Int!
    taxPercent: Float!
    unitPrice: MonetaryValue!
    hasAnyDiscount: Boolean!
    unitOriginalPrice: MonetaryValue!
    lineValue: MonetaryValue!
  }

  "Zonos-style projection of an order line"
  type OrderItem {
    id: ID!
    name: String!
    quantity: Int!
    "unit amount"
    amount: Float!
    currencyCode: String!
    sku: String
    productId: String
  }

  input BuyerInfoInput {
    firstName: String
    lastName: String
    email: String
  }

  "{ id: <Int> } reference to a store, market, pricelist, account, buyer, product, … (API-CONTRACT 1.4)"
  input OrderCreateRefInput {
    id: Int!
  }

  input OrderLineCreateInput {
    "snapshot of the product name shown on the order"
    productName: String!
    variantName: String
    size: String
    sku: String
    product: OrderCreateRefInput
    productVariant: OrderCreateRefInput
    productSize: OrderCreateRefInput
    display: OrderCreateRefInput
    deliveryWindow: OrderCreateRefInput
    taxGroup: OrderCreateRefInput
    quantity: Int!
    unitPrice: MonetaryValueInput!
    "price before line discounts (default: unitPrice)"
    unitOriginalPrice: MonetaryValueInput
    taxPercent: Float
  }

  input OrderDiscountInput {
    value: MonetaryValueInput!
    "default: now"
    date: DateTime
    reason: String
  }

  "Centra-style order creation (createWholesaleOrder / createDirectToConsumerOrder)."
  input OrderCreateCentraInput {
    "the merchant's own order number (unique per organization)"
    accountOrderNumber: String
    currencyIsoCode: String!
    orderDate: DateTime
    isInternal: Boolean
    store: OrderCreateRefInput
    market: OrderCreateRefInput
    pricelist: OrderCreateRefInput
    account: OrderCreateRefInput
    buyer: OrderCreateRefInput
    buyerInfo: BuyerInfoInput
    shippingAddress: AddressInput
    billingAddress: AddressInput
    lines: [OrderLineCreateInput!]!
    discounts: [OrderDiscountInput!]
  }

  input OrderItemCreateInput {
    name: String!
    sku: String
    quantity: Int!
    "unit amount in the order currency"
    amount: Float!
  }

  "Zonos-style order creation (orderCreate)."
  input OrderCreateInput {
    accountOrderNumber: String!
    currencyCode: String!
    items: [OrderItemCreateInput!]!
    shippingAddress: AddressInput
    billingAddress: AddressInput
  }

  type OrderCreatePayload {
    order: Order
  }

  type CreateWholesaleOrderPayload {
    userErrors: [UserError!]!
    order: WholesaleOrder
  }

  type CreateDirectToConsumerOrderPayload {
    userErrors: [UserError!]!
    order: DirectToConsumerOrder
  }

  type DeleteOrderPayload {
    userErrors: [UserError!]!
    "the tombstone sync_orders will report"
    deletedOrder: DeletedSyncItem
  }

  extend type Query {
    sync_orders(
      content_hashes: [String!]!
      include_descendant_organizations: Boolean = false
      organization_sentera_id: ID!
    ): SyncOrdersResult! @requires(perm: "Order:read")
    orders(where: OrderFilter, sort: [OrderSort!], limit: Int, page: Int): [Order!]! @requires(perm: "Order:read")
    "one order by any of its identifiers (null when it doesn't exist in your organization)"
    order(id: ID, number: Int, accountOrderNumber: String): Order @requires(perm: "Order:read")
  }

  extend type Mutation {
    orderCreate(input: OrderCreateInput!): OrderCreatePayload! @requires(perm: "Order:write")
    createWholesaleOrder(input: OrderCreateCentraInput!): CreateWholesaleOrderPayload! @requires(perm: "Order:write")
    createDirectToConsumerOrder(input: OrderCreateCentraInput!): CreateDirectToConsumerOrderPayload! @requires(perm: "Order:write")
    deleteOrder(order: OrderInput!): DeleteOrderPayload! @requires(perm: "Order:write")
  }
`;

// ---------------------------------------------------------------------------------------------
// helpers

/** Zonos-style `user_<uuid>` of an API key's user: a stable UUID derived from (organization, user). */
export function actorOf(ctx: GraphQLContext): Actor {
  const p = ctx.state.principal;
  if (!p) return null;
  const hex = createHash("sha256").update(`User:${p.org?.id ?? 0}:${p.userId}`).digest("hex");
  return `user_${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const round = (value: number, currency: string) => Number(value.toFixed(findCurrency(currency)?.decimals ?? 2));
const moneyOf = (value: number, currency: string): MoneySource => ({ value: round(value, currency), currency });
const lineValue = (l: OrderLine) => l.unitPrice * lineQuantity(l);
const FINAL: OrderStatus[] = ["COMPLETED", "CANCELLED"];

function grandTotal(order: Order, includingTax: boolean): MoneySource {
  // Prices are stored tax-inclusive; the ex-tax total removes each line's tax share.
  const lines = order.lines.reduce((sum, l) => sum + (includingTax ? lineValue(l) : lineValue(l) / (1 + l.taxPercent / 100)), 0);
  const discounts = order.discounts.reduce((sum, d) => sum + d.value, 0);
  return moneyOf(Math.max(0, lines - discounts), order.currency);
}

function toAddressInput(a: (AddressRecord & { country?: { code?: string | null; id?: number | null } | null }) | null | undefined): AddressInput | null {
  if (!a) return null;
  const { country, ...rest } = a;
  return { ...rest, countryCode: country?.code ?? null, countryId: country?.id ?? null };
}

type Ref = { id: number } | null | undefined;
const refId = (r: Ref) => r?.id ?? null;

interface CentraLineArg {
  productName: string;
  variantName?: string | null;
  size?: string | null;
  sku?: string | null;
  product?: Ref;
  productVariant?: Ref;
  productSize?: Ref;
  display?: Ref;
  deliveryWindow?: Ref;
  taxGroup?: Ref;
  quantity: number;
  unitPrice: { value: number; currencyIsoCode: string };
  unitOriginalPrice?: { value: number; currencyIsoCode: string } | null;
  taxPercent?: number | null;
}

interface CentraCreateArg {
  accountOrderNumber?: string | null;
  currencyIsoCode: string;
  orderDate?: string | null;
  isInternal?: boolean | null;
  store?: Ref;
  market?: Ref;
  pricelist?: Ref;
  account?: Ref;
  buyer?: Ref;
  buyerInfo?: CreateOrderInput["buyerInfo"];
  shippingAddress?: Parameters<typeof toAddressInput>[0];
  billingAddress?: Parameters<typeof toAddressInput>[0];
  lines: CentraLineArg[];
  discounts?: Array<{ value: { value: number; currencyIsoCode: string }; date?: string | null; reason?: string | null }> | null;
}

function centraCreateInput(channel: Order["channel"], input: CentraCreateArg): CreateOrderInput {
  return {
    channel,
    currency: input.currencyIsoCode,
    accountOrderNumber: input.accountOrderNumber,
    orderDate: input.orderDate,
    isInternal: input.isInternal,
    storeId: refId(input.store),
    marketId: refId(input.market),
    pricelistId: refId(input.pricelist),
    b2bAccountId: refId(input.account),
    buyerId: refId(input.buyer),
    buyerInfo: input.buyerInfo,
    shippingAddress: toAddressInput(input.shippingAddress),
    billingAddress: toAddressInput(input.billingAddress),
    lines: input.lines.map(
      (l): LineInput => ({
        productName: l.productName,
        variantName: l.variantName,
        size: l.size,
        sku: l.sku,
        productId: refId(l.product),
        productVariantId: refId(l.productVariant),
        productSizeId: refId(l.productSize),
        displayId: refId(l.display),
        deliveryWindowId: refId(l.deliveryWindow),
        taxGroupId: refId(l.taxGroup),
        quantity: l.quantity,
        unitPrice: l.unitPrice.value,
        currency: l.unitPrice.currencyIsoCode,
        unitOriginalPrice: l.unitOriginalPrice?.value,
        taxPercent: l.taxPercent,
      }),
    ),
    discounts: input.discounts?.map((d) => ({ value: d.value.value, currency: d.value.currencyIsoCode, date: d.date, reason: d.reason })),
  };
}

/** Centra payloads report validation and business failures as userErrors with the input path. */
async function withUserErrors<T extends object>(run: () => Promise<T>, prefix: string[]): Promise<T | { userErrors: UserError[] }> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UserErrors) return { userErrors: error.errors };
    if (error instanceof ValidationError || error instanceof ConflictError || error instanceof NotFoundError) {
      const path = Array.isArray(error.details.path) ? (error.details.path as string[]) : [];
      return { userErrors: [{ message: error.message, path: [...prefix, ...path] }] };
    }
    throw error;
  }
}

/** Parses the order-id forms accepted on input; a clear error for anything else. */
function orderRefFrom(input: { id?: string | null; number?: number | null }): { id?: string | null; number?: number | null } {
  const given = [input.id, input.number].filter((v) => v != null).length;
  if (given !== 1) throw new ValidationError("give exactly one of id or number", { path: [] });
  return input;
}

const ORDER_FIELDS = {
  id: (o: OrderSource) => (o.surface === "zonos" ? `order_${o.uuid}` : uuidHex(o.uuid)),
  status: (o: OrderSource) => (o.surface === "zonos" && !FINAL.includes(o.status) ? "OPEN" : o.status),
  orderDate: (o: OrderSource, args: { format?: string | null }) => (args.format ? phpDate(o.orderDate, o.timeZone, args.format) : isoInZone(o.orderDate, o.timeZone)),
  grandTotal: (o: OrderSource, args: { includingTax?: boolean | null }) => grandTotal(o, args.includingTax !== false),
  // Async on purpose: line fields (Product:read) resolve after the order's own fields, which
  // gives the permission order the seed documents (addresses before Product:read).
  lines: async (o: OrderSource, args: { includeFullyCancelled?: boolean | null }): Promise<LineSource[]> =>
    [...o.lines].sort((a, b) => a.id - b.id).filter((l) => args.includeFullyCancelled || lineQuantity(l) > 0).map((line) => ({ line, order: o })),
  discountsApplied: (o: OrderSource) => o.discounts.map((d) => ({ value: moneyOf(d.value, o.currency), date: isoInZone(d.date, o.timeZone) })),
  shippingAddress: (o: OrderSource) => o.shippingAddress,
  billingAddress: (o: OrderSource) => o.billingAddress,
  currencyCode: (o: OrderSource) => o.currency,
  items: (o: OrderSource) => [...o.lines].sort((a, b) => a.id - b.id).map((line) => ({ line, order: o })),
  createdAt: (o: OrderSource) => utcZ(o.createdAt),
  updatedAt: (o: OrderSource) => utcZ(o.updatedAt),
  sentera_id: (o: OrderSource) => o.senteraId,
  content_hash: (o: OrderSource) => o.contentHash,
};

const orderType = (o: { channel?: string }) => (o.channel === "WHOLESALE" ? "WholesaleOrder" : "DirectToConsumerOrder");

// ---------------------------------------------------------------------------------------------
// resolvers

const resolvers = {
  SyncItem: {
    __resolveType: (item: OrderSource | DeletedSyncItem) => ("kind" in item && item.kind === "deleted" ? "DeletedSyncItem" : orderType(item as OrderSource)),
  },
  Order: { __resolveType: orderType },
  DeletedSyncItem: {
    sentera_id: (d: DeletedSyncItem) => d.senteraId,
    content_hash: (d: DeletedSyncItem) => d.contentHash,
  },
  SyncError: {
    sentera_id: (f: SyncFailure) => f.senteraId,
    content_hash: (f: SyncFailure) => f.contentHash,
  },
  WholesaleOrder: ORDER_FIELDS,
  DirectToConsumerOrder: ORDER_FIELDS,
  OrderLine: {
    id: (s: LineSource) => s.line.id,
    product: (s: LineSource) => ({ id: s.line.productId, name: s.line.productName }),
    productVariant: (s: LineSource) => (s.line.productVariantId != null || s.line.variantName != null ? { id: s.line.productVariantId, name: s.line.variantName } : null),
    sku: (s: LineSource) => s.line.sku,
    size: (s: LineSource) => s.line.size,
    quantity: (s: LineSource) => lineQuantity(s.line),
    orderedQuantity: (s: LineSource) => s.line.orderedQty,
    cancelledQuantity: (s: LineSource) => s.line.cancelledQty,
    shippedQuantity: (s: LineSource) => s.line.shippedQty,
    taxPercent: (s: LineSource) => s.line.taxPercent,
    unitPrice: (s: LineSource) => moneyOf(s.line.unitPrice, s.order.currency),
    hasAnyDiscount: (s: LineSource) => s.line.unitPrice < s.line.unitOriginalPrice,
    unitOriginalPrice: (s: LineSource) => moneyOf(s.line.unitOriginalPrice, s.order.currency),
    lineValue: (s: LineSource) => moneyOf(lineValue(s.line), s.order.currency),
  },
  OrderItem: {
    id: (s: LineSource) => `item_${s.line.uuid}`,
    name: (s: LineSource) => s.line.productName,
    quantity: (s: LineSource) => lineQuantity(s.line),
    amount: (s: LineSource) => s.line.unitPrice,
    currencyCode: (s: LineSource) => s.order.currency,
    sku: (s: LineSource) => s.line.sku,
    productId: (s: LineSource) => (s.line.productId != null ? String(s.line.productId) : null),
  },
  Query: {
    sync_orders: async (
      _: unknown,
      args: { content_hashes: string[]; include_descendant_organizations?: boolean | null; organization_sentera_id: string },
      ctx: GraphQLContext,
    ) => {
      const result = await syncOrders(ctx.deps, callerOrg(ctx), {
        organizationSenteraId: args.organization_sentera_id,
        contentHashes: args.content_hashes,
        includeDescendants: args.include_descendant_organizations ?? false,
      });
      return { upserted: result.upserted, deleted: result.deleted, failed: result.failed, remaining_count: result.remainingCount };
    },
    orders: async (
      _: unknown,
      args: { where?: { id?: string | null; number?: number | null; accountOrderNumber?: string | null; status?: string | null; isOnHold?: boolean | null } | null; sort?: string[] | null; limit?: number | null; page?: number | null },
      ctx: GraphQLContext,
    ): Promise<OrderSource[]> => {
      const org = callerOrg(ctx);
      const where = args.where ?? {};
      const limit = args.limit ?? 50;
      const page = args.page ?? 1;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError("limit must be between 1 and 200", { argument: "limit" });
      if (!Number.isInteger(page) || page < 1 || page > 10_000) throw new ValidationError("page must be 1 or more", { argument: "page" });
      if (where.status === "OPEN" || where.status === "ARCHIVED") throw new ValidationError(`status ${where.status} is not a stored status; use PENDING, CONFIRMED, PROCESSING, COMPLETED or CANCELLED`, { argument: "where.status" });
      if (where.id != null || where.number != null || where.accountOrderNumber != null) {
        // A lookup by identifier: one order or none; the other filters still apply.
        const order = await findOrder(ctx.deps, org.id, { id: where.id, number: where.number, accountOrderNumber: where.accountOrderNumber });
        const matches = order && (where.status == null || order.status === where.status) && order.isOnHold === (where.isOnHold ?? false);
        return matches && page === 1 ? [order] : [];
      }
      const sort = args.sort?.[0] ?? "number_ASC";
      return listOrders(ctx.deps, org.id, { status: where.status as OrderStatus | null, isOnHold: where.isOnHold }, { limit, page, descending: sort.endsWith("_DESC") });
    },
    order: async (_: unknown, args: { id?: string | null; number?: number | null; accountOrderNumber?: string | null }, ctx: GraphQLContext) => {
      const ref = { id: args.id, number: args.number, accountOrderNumber: args.accountOrderNumber };
      if (args.id == null && args.number == null && args.accountOrderNumber == null) throw new ValidationError("give id, number or accountOrderNumber");
      const order = await findOrder(ctx.deps, callerOrg(ctx).id, ref);
      // The id form the caller used decides how the order id is rendered back.
      return order ? { ...order, surface: args.id?.startsWith("order_") ? ("zonos" as const) : undefined } : null;
    },
  },
  Mutation: {
    orderCreate: async (_: unknown, args: { input: { accountOrderNumber: string; currencyCode: string; items: Array<{ name: string; sku?: string | null; quantity: number; amount: number }>; shippingAddress?: CentraCreateArg["shippingAddress"]; billingAddress?: CentraCreateArg["billingAddress"] } }, ctx: GraphQLContext) => {
      const { input } = args;
      try {
        const order = await createOrder(
          ctx.deps,
          callerOrg(ctx),
          {
            channel: "DIRECT_TO_CONSUMER",
            currency: input.currencyCode,
            accountOrderNumber: input.accountOrderNumber,
            shippingAddress: toAddressInput(input.shippingAddress),
            billingAddress: toAddressInput(input.billingAddress),
            lines: input.items.map((i) => ({ productName: i.name, sku: i.sku, quantity: i.quantity, unitPrice: i.amount })),
          },
          actorOf(ctx),
        );
        return { order: { ...order, surface: "zonos" } };
      } catch (error) {
        // Zonos style: failures are top-level errors; name the input field in the path.
        if (error instanceof DomainError && Array.isArray(error.details.path)) {
          const path = (error.details.path as string[]).map((p) => (p === "lines" ? "items" : p === "productName" ? "name" : p === "unitPrice" ? "amount" : p === "currencyIsoCode" ? "currencyCode" : p));
          throw new DomainError(error.code, error.message.replace("productName", "name"), { ...error.details, path: ["input", ...path] });
        }
        throw error;
      }
    },
    createWholesaleOrder: (_: unknown, args: { input: CentraCreateArg }, ctx: GraphQLContext) =>
      withUserErrors(async () => ({ userErrors: [], order: await createOrder(ctx.deps, callerOrg(ctx), centraCreateInput("WHOLESALE", args.input), actorOf(ctx)) }), ["input"]),
    createDirectToConsumerOrder: (_: unknown, args: { input: CentraCreateArg }, ctx: GraphQLContext) =>
      withUserErrors(async () => ({ userErrors: [], order: await createOrder(ctx.deps, callerOrg(ctx), centraCreateInput("DIRECT_TO_CONSUMER", args.input), actorOf(ctx)) }), ["input"]),
    deleteOrder: (_: unknown, args: { order: { id?: string | null; number?: number | null } }, ctx: GraphQLContext) =>
      withUserErrors(async () => {
        const tombstone = await deleteOrder(ctx.deps, callerOrg(ctx).id, orderRefFrom(args.order), actorOf(ctx));
        return { userErrors: [], deletedOrder: { kind: "deleted", senteraId: tombstone.senteraId, contentHash: tombstone.contentHash, orgId: tombstone.orgId } satisfies DeletedSyncItem };
      }, ["order"]),
  },
};

export const ordersModule: GraphQLModule = {
  name: "orders",
  typeDefs,
  resolvers,
};
