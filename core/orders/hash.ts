/**
 * Content hash of an order (API-CONTRACT 6.8): base64 of the first 12 bytes of SHA-256 over a
 * canonical JSON of the synced content: 16 characters of the standard alphabet, no padding.
 * Canonical = fixed field list, keys sorted, lines sorted by id, absent values as null, so the
 * same content gives the same hash in every process and on every surface (the status is the
 * canonical one, never a projection). Bookkeeping (version, the hash itself, hash history,
 * events) is not content.
 */
import { createHash } from "node:crypto";
import type { Order } from "./model.ts";
import { ADDRESS_FIELDS, type AddressRecord } from "../graphql/shared-types.ts";

/** Bump when the canonical form changes: every hash then changes once and clients resync. */
const CANONICAL_VERSION = 1;

export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) throw new TypeError("non-finite number in order content");
  return JSON.stringify(value);
}

const address = (a: AddressRecord | null) =>
  a ? Object.fromEntries([...ADDRESS_FIELDS, "countryCode" as const].map((f) => [f, a[f] ?? null])) : null;

/** The synced content of an order, in canonical form. */
export function canonicalContent(order: Order): Record<string, unknown> {
  return {
    v: CANONICAL_VERSION,
    uuid: order.uuid,
    orgId: order.orgId,
    number: order.number,
    senteraId: order.senteraId,
    accountOrderNumber: order.accountOrderNumber,
    channel: order.channel,
    status: order.status,
    isOnHold: order.isOnHold,
    isLocked: order.isLocked,
    isInternal: order.isInternal,
    currency: order.currency,
    timeZone: order.timeZone,
    orderDate: order.orderDate,
    storeId: order.storeId,
    marketId: order.marketId,
    pricelistId: order.pricelistId,
    b2bAccountId: order.b2bAccountId,
    buyerId: order.buyerId,
    buyerInfo: order.buyerInfo ? { firstName: order.buyerInfo.firstName, lastName: order.buyerInfo.lastName, email: order.buyerInfo.email } : null,
    shippingAddress: address(order.shippingAddress),
    billingAddress: address(order.billingAddress),
    lines: [...order.lines]
      .sort((a, b) => a.id - b.id)
      .map((l) => ({
        id: l.id,
        uuid: l.uuid,
        sku: l.sku,
        productId: l.productId,
        productVariantId: l.productVariantId,
        productSizeId: l.productSizeId,
        displayId: l.displayId,
        productName: l.productName,
        variantName: l.variantName,
        size: l.size,
        deliveryWindowId: l.deliveryWindowId,
        orderedQty: l.orderedQty,
        cancelledQty: l.cancelledQty,
        shippedQty: l.shippedQty,
        unitPrice: l.unitPrice,
        unitOriginalPrice: l.unitOriginalPrice,
        taxPercent: l.taxPercent,
        taxGroupId: l.taxGroupId,
      })),
    discounts: order.discounts.map((d) => ({ value: d.value, date: d.date, reason: d.reason })),
    createdAt: order.createdAt,
    createdBy: order.createdBy,
    updatedAt: order.updatedAt,
    updatedBy: order.updatedBy,
  };
}

export function hashCanonical(canonical: string): string {
  return createHash("sha256").update(canonical, "utf8").digest().subarray(0, 12).toString("base64");
}

export function contentHash(order: Order): string {
  return hashCanonical(stableStringify(canonicalContent(order)));
}

/** Shape check for client-sent hashes (garbage is simply never matched, never an error). */
export const isContentHash = (value: string) => /^[A-Za-z0-9+/]{16}$/.test(value);
