/**
 * The order aggregate as stored: one record shown through three vocabularies (API-CONTRACT 6.4).
 * Everything a surface renders is derived from these fields; nothing here is surface-specific.
 */
import type { AddressRecord } from "../graphql/shared-types.ts";

/** Canonical lifecycle (API-CONTRACT 4.1 / 6.5); surfaces project it (Zonos shows OPEN). */
export const ORDER_STATUSES = ["PENDING", "CONFIRMED", "PROCESSING", "COMPLETED", "CANCELLED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Small integer of a status, kept in the sync index (1 byte instead of a word). */
export const STATUS_CODE: Record<OrderStatus, number> = { PENDING: 1, CONFIRMED: 2, PROCESSING: 3, COMPLETED: 4, CANCELLED: 5 };

/** Which store type the order was placed in: decides the concrete GraphQL type. */
export type OrderChannel = "WHOLESALE" | "DIRECT_TO_CONSUMER";

export interface OrderLine {
  /** Centra integer line id (per-organization counter), e.g. 17231. */
  id: number;
  /** Zonos item id is `item_<uuid>`. */
  uuid: string;
  /** Snapshot of what was sold, taken at order time (the catalog may change later). */
  sku: string | null;
  productId: number | null;
  productVariantId: number | null;
  /** Centra productSize = the SKU's integer id. */
  productSizeId: number | null;
  displayId: number | null;
  productName: string;
  variantName: string | null;
  size: string | null;
  deliveryWindowId: number | null;
  orderedQty: number;
  cancelledQty: number;
  shippedQty: number;
  /** Per unit, in the order currency, after line discounts. */
  unitPrice: number;
  /** Per unit before line discounts (hasAnyDiscount = unitPrice < unitOriginalPrice). */
  unitOriginalPrice: number;
  taxPercent: number;
  taxGroupId: number | null;
}

export interface OrderDiscount {
  /** Amount in the order currency. */
  value: number;
  /** ISO-8601 UTC instant the discount was applied. */
  date: string;
  reason: string | null;
}

export interface BuyerInfo {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface Order {
  orgId: number;
  /** 128-bit key: Centra `id` = 32-hex, Zonos `id` = `order_<uuid>`. */
  uuid: string;
  number: number;
  senteraId: string;
  accountOrderNumber: string | null;
  channel: OrderChannel;
  status: OrderStatus;
  isOnHold: boolean;
  isLocked: boolean;
  isInternal: boolean;
  currency: string;
  /** Time zone the store renders dates in (snapshot of the organization's at creation). */
  timeZone: string;
  orderDate: string;
  storeId: number | null;
  marketId: number | null;
  pricelistId: number | null;
  b2bAccountId: number | null;
  buyerId: number | null;
  buyerInfo: BuyerInfo | null;
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  lines: OrderLine[];
  discounts: OrderDiscount[];
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  /** Optimistic concurrency: every committed change increments it by one. */
  version: number;
  /** 16-char content hash of the synced content (./hash.ts), recomputed in every write. */
  contentHash: string;
  /** Previous content hashes, newest first (bounded): lets sync report deletions (I-1). */
  hashHistory: string[];
}

/** A deleted order as sync_orders sees it. */
export interface OrderTombstone {
  orgId: number;
  senteraId: string;
  contentHash: string;
  hashHistory: string[];
  deletedAt: string;
}

export type OrderEventType =
  | "CREATED"
  | "UPDATED"
  | "HOLD_CHANGED"
  | "LOCK_CHANGED"
  | "LINES_ADDED"
  | "LINES_CANCELLED"
  | "ADDRESS_CHANGED"
  | "CONFIRMED"
  | "DELETED";

export interface OrderEvent {
  version: number;
  type: OrderEventType;
  message: string | null;
  at: string;
  by: string | null;
  contentHash: string;
}

/** How many past hashes an order keeps (a client holding an older one re-downloads, see docs). */
export const HASH_HISTORY_LIMIT = 100;
export const MAX_LINES = 500;

/** Net live quantity on every surface: ordered − cancelled (shipped units stay counted). */
export const lineQuantity = (line: OrderLine) => line.orderedQty - line.cancelledQty;
