/**
 * Order ↔ table items. The order item holds the header and its lines (bounded by MAX_LINES, so it
 * stays far below DynamoDB's 400 KB item limit and one conditional Put changes lines atomically).
 * Decoding checks the shape: a damaged item becomes an OrderDecodeError (reported by sync_orders
 * in `failed`) instead of a half-rendered order.
 */
import type { Item } from "../db/client.ts";
import { orderKeys } from "../db/keys.ts";
import { ORDER_STATUSES, STATUS_CODE, type Order, type OrderEvent, type OrderLine, type OrderTombstone } from "./model.ts";

export class OrderDecodeError extends Error {
  constructor(
    readonly senteraId: string | null,
    message: string,
  ) {
    super(message);
    this.name = "OrderDecodeError";
  }
}

export const uuidHex = (uuid: string) => uuid.replaceAll("-", "").toLowerCase();

export const orderItemKey = (order: Pick<Order, "orgId" | "uuid">) => orderKeys.order(order.orgId, uuidHex(order.uuid));

/** Stable shard of the sync index for a sentera_id (FNV-1a; never change: entries would move). */
export function syncShard(senteraId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < senteraId.length; i++) {
    h ^= senteraId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % orderKeys.syncShards;
}

export function encodeOrder(order: Order): Item {
  return {
    ...orderItemKey(order),
    ...orderKeys.listByNumber(order.orgId, order.number),
    ...orderKeys.listByDate(order.orgId, order.orderDate, order.number),
    type: "Order",
    ...order,
  };
}

/**
 * The sync index entry of a live order: key + hash + status code, nothing else (≈ 85 bytes with
 * a 50-character sentera_id), so an up-to-date sync reads ~1 % of what full orders weigh.
 */
export function encodeSyncEntry(order: Pick<Order, "orgId" | "senteraId" | "contentHash" | "status">): Item {
  return { ...orderKeys.syncEntry(order.orgId, syncShard(order.senteraId), order.senteraId), h: order.contentHash, s: STATUS_CODE[order.status] };
}

/** The sync index entry of a deleted order: last hash, flag, and earlier hashes packed in one string. */
export function encodeTombstoneEntry(t: OrderTombstone): Item {
  return {
    ...orderKeys.syncEntry(t.orgId, syncShard(t.senteraId), t.senteraId),
    h: t.contentHash,
    d: 1,
    hh: t.hashHistory.join(""),
    t: t.deletedAt,
  };
}

export function encodeEvent(order: Pick<Order, "orgId" | "uuid">, event: OrderEvent): Item {
  const { type: eventType, ...rest } = event;
  return { ...orderKeys.event(order.orgId, uuidHex(order.uuid), event.version), type: "OrderEvent", eventType, ...rest };
}

const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : isStr(v) ? v : undefined);
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : isNum(v) ? v : undefined);

function decodeLine(raw: unknown, senteraId: string): OrderLine {
  const l = raw as Record<string, unknown>;
  if (!l || typeof l !== "object" || !isNum(l.id) || !isStr(l.uuid) || !isStr(l.productName) || !isNum(l.orderedQty) || !isNum(l.unitPrice)) {
    throw new OrderDecodeError(senteraId, "an order line is malformed");
  }
  return {
    id: l.id,
    uuid: l.uuid,
    sku: strOrNull(l.sku) ?? null,
    productId: numOrNull(l.productId) ?? null,
    productVariantId: numOrNull(l.productVariantId) ?? null,
    productSizeId: numOrNull(l.productSizeId) ?? null,
    displayId: numOrNull(l.displayId) ?? null,
    productName: l.productName,
    variantName: strOrNull(l.variantName) ?? null,
    size: strOrNull(l.size) ?? null,
    deliveryWindowId: numOrNull(l.deliveryWindowId) ?? null,
    orderedQty: l.orderedQty,
    cancelledQty: isNum(l.cancelledQty) ? l.cancelledQty : 0,
    shippedQty: isNum(l.shippedQty) ? l.shippedQty : 0,
    unitPrice: l.unitPrice,
    unitOriginalPrice: isNum(l.unitOriginalPrice) ? l.unitOriginalPrice : l.unitPrice,
    taxPercent: isNum(l.taxPercent) ? l.taxPercent : 0,
    taxGroupId: numOrNull(l.taxGroupId) ?? null,
  };
}

export function decodeOrder(item: Item): Order {
  const senteraId = isStr(item.senteraId) ? item.senteraId : null;
  const required: Array<[string, (v: unknown) => boolean]> = [
    ["orgId", isNum], ["uuid", isStr], ["number", isNum], ["senteraId", isStr], ["channel", isStr], ["status", isStr],
    ["currency", isStr], ["orderDate", isStr], ["createdAt", isStr], ["updatedAt", isStr], ["version", isNum], ["contentHash", isStr],
  ];
  for (const [field, check] of required) {
    if (!check(item[field])) throw new OrderDecodeError(senteraId, `order field ${field} is missing or malformed`);
  }
  if (!ORDER_STATUSES.includes(item.status as never)) throw new OrderDecodeError(senteraId, `unknown order status ${String(item.status)}`);
  if (!Array.isArray(item.lines)) throw new OrderDecodeError(senteraId, "order lines are missing");
  const o = item as Record<string, unknown>;
  return {
    orgId: o.orgId as number,
    uuid: o.uuid as string,
    number: o.number as number,
    senteraId: o.senteraId as string,
    accountOrderNumber: strOrNull(o.accountOrderNumber) ?? null,
    channel: o.channel === "WHOLESALE" ? "WHOLESALE" : "DIRECT_TO_CONSUMER",
    status: o.status as Order["status"],
    isOnHold: isBool(o.isOnHold) ? o.isOnHold : false,
    isLocked: isBool(o.isLocked) ? o.isLocked : false,
    isInternal: isBool(o.isInternal) ? o.isInternal : false,
    currency: o.currency as string,
    timeZone: isStr(o.timeZone) ? o.timeZone : "UTC",
    orderDate: o.orderDate as string,
    storeId: numOrNull(o.storeId) ?? null,
    marketId: numOrNull(o.marketId) ?? null,
    pricelistId: numOrNull(o.pricelistId) ?? null,
    b2bAccountId: numOrNull(o.b2bAccountId) ?? null,
    buyerId: numOrNull(o.buyerId) ?? null,
    buyerInfo: (o.buyerInfo as Order["buyerInfo"]) ?? null,
    shippingAddress: (o.shippingAddress as Order["shippingAddress"]) ?? null,
    billingAddress: (o.billingAddress as Order["billingAddress"]) ?? null,
    lines: (o.lines as unknown[]).map((l) => decodeLine(l, o.senteraId as string)),
    discounts: Array.isArray(o.discounts) ? (o.discounts as Order["discounts"]) : [],
    createdAt: o.createdAt as string,
    createdBy: strOrNull(o.createdBy) ?? null,
    updatedAt: o.updatedAt as string,
    updatedBy: strOrNull(o.updatedBy) ?? null,
    version: o.version as number,
    contentHash: o.contentHash as string,
    hashHistory: Array.isArray(o.hashHistory) ? (o.hashHistory as string[]).filter(isStr) : [],
  };
}

export function decodeEvent(item: Item): OrderEvent {
  return {
    version: item.version as number,
    type: item.eventType as OrderEvent["type"],
    message: (item.message as string | null | undefined) ?? null,
    at: item.at as string,
    by: (item.by as string | null | undefined) ?? null,
    contentHash: item.contentHash as string,
  };
}
