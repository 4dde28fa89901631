/**
 * Validation of order input, surface-independent: every problem is a ValidationError whose
 * details.path is the input path (relative; the GraphQL layer prefixes its argument name), so
 * Centra mutations can answer with userErrors and the other surfaces with BAD_USER_INPUT.
 */
import { ValidationError } from "../errors.ts";
import { findCountry, findCurrency, normalizeStateOrProvince } from "../geo/countries.ts";
import { ADDRESS_FIELDS, type AddressRecord } from "../graphql/shared-types.ts";
import { ORDER_STATUSES, MAX_LINES, type OrderChannel, type OrderLine, type OrderStatus } from "./model.ts";
import { newUuid } from "../ids.ts";

export interface LineInput {
  id?: number;
  uuid?: string;
  sku?: string | null;
  productId?: number | null;
  productVariantId?: number | null;
  productSizeId?: number | null;
  displayId?: number | null;
  productName: string;
  variantName?: string | null;
  size?: string | null;
  deliveryWindowId?: number | null;
  quantity: number;
  unitPrice: number;
  unitOriginalPrice?: number | null;
  taxPercent?: number | null;
  taxGroupId?: number | null;
  /** Currency the prices were given in; must be the order's. */
  currency?: string | null;
}

export interface AddressInput extends Omit<AddressRecord, "countryCode"> {
  countryCode?: string | null;
  countryId?: number | null;
}

export interface CreateOrderInput {
  channel: OrderChannel;
  currency: string;
  lines: LineInput[];
  accountOrderNumber?: string | null;
  senteraId?: string | null;
  /** Fixed identifiers: imports and demo data (the API assigns them). */
  number?: number | null;
  uuid?: string | null;
  /** Imports keep the state the order had in the system it comes from; new orders are PENDING. */
  status?: OrderStatus | null;
  isOnHold?: boolean | null;
  isLocked?: boolean | null;
  isInternal?: boolean | null;
  orderDate?: string | null;
  storeId?: number | null;
  marketId?: number | null;
  pricelistId?: number | null;
  b2bAccountId?: number | null;
  buyerId?: number | null;
  buyerInfo?: { firstName?: string | null; lastName?: string | null; email?: string | null } | null;
  shippingAddress?: AddressInput | null;
  billingAddress?: AddressInput | null;
  discounts?: Array<{ value: number; currency?: string | null; date?: string | null; reason?: string | null }> | null;
  createdAt?: string | null;
  createdBy?: string | null;
  /** Hashes a previous system handed out for this order (migration; see docs/orders.md). */
  legacyHashes?: string[] | null;
}

export const SENTERA_ID = /^[A-Za-z0-9_-]{8,100}$/;
const ACCOUNT_ORDER_NUMBER = /^[\x21-\x7e][\x20-\x7e]{0,99}$/;
const SKU = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TEXT = 200;
const MAX_QTY = 1_000_000;
const MAX_MONEY = 1e12;

const fail = (path: string[], message: string): never => {
  throw new ValidationError(message, { path });
};

function text(value: string | null | undefined, path: string[], opts: { required?: boolean; max?: number } = {}): string | null {
  if (value == null) return opts.required ? fail(path, `${path.at(-1)} is required`) : null;
  const trimmed = value.trim();
  if (opts.required && !trimmed) fail(path, `${path.at(-1)} must not be empty`);
  if (trimmed.length > (opts.max ?? MAX_TEXT)) fail(path, `${path.at(-1)} is longer than ${opts.max ?? MAX_TEXT} characters`);
  return trimmed || null;
}

function optionalId(value: number | null | undefined, path: string[]): number | null {
  if (value == null) return null;
  if (!Number.isSafeInteger(value) || value < 1) fail(path, `${path.at(-1)} must be a positive integer`);
  return value;
}

export function money(value: number, currency: string, path: string[], opts: { allowNegative?: boolean } = {}): number {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MONEY) fail(path, `${path.at(-1)} must be a finite amount`);
  if (!opts.allowNegative && value < 0) fail(path, `${path.at(-1)} must not be negative`);
  const decimals = findCurrency(currency)?.decimals ?? 2;
  return Number(value.toFixed(decimals));
}

export function currencyCode(code: string | null | undefined, path: string[]): string {
  const found = code ? findCurrency(code.trim()) : undefined;
  if (!found) return fail(path, `unknown currency ${code ?? "(none)"}; use an ISO 4217 code such as SEK or USD`);
  return found.code;
}

export function isoInstant(value: string, path: string[]): string {
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(parsed.getTime())) fail(path, `${path.at(-1)} must be an ISO-8601 date-time with offset, e.g. 2021-03-04T09:05:52+01:00`);
  return parsed.toISOString();
}

export function validateAddress(input: AddressInput | null | undefined, path: string[]): AddressRecord | null {
  if (input == null) return null;
  const out: AddressRecord = {};
  for (const field of ADDRESS_FIELDS) out[field] = text(input[field] ?? null, [...path, field]);
  let countryCode: string | null = null;
  if (input.countryCode != null || input.countryId != null) {
    const country = findCountry({ code: input.countryCode, id: input.countryId });
    if (!country) fail([...path, "country"], `unknown country ${input.countryCode ?? input.countryId}`);
    countryCode = country!.code;
  }
  out.countryCode = countryCode;
  out.stateOrProvince = normalizeStateOrProvince(countryCode, out.stateOrProvince);
  if (out.email && !/^[^\s@]+@[^\s@]+$/.test(out.email)) fail([...path, "email"], "email is not an e-mail address");
  return out;
}

/** What an order line is created from: the line's snapshot and price fields, and its quantity. */
export type ValidLine = Pick<
  OrderLine,
  "sku" | "productId" | "productVariantId" | "productSizeId" | "displayId" | "productName" | "variantName" | "size" | "deliveryWindowId" | "unitPrice" | "unitOriginalPrice" | "taxPercent" | "taxGroupId"
> & { id?: number; uuid?: string; quantity: number };

/** A new, unshipped order line (creation and addLines alike). */
export function newOrderLine(line: ValidLine, newLineId: () => number): OrderLine {
  const { id, uuid, quantity, ...snapshot } = line;
  return { ...snapshot, id: id ?? newLineId(), uuid: uuid ?? newUuid(), orderedQty: quantity, cancelledQty: 0, shippedQty: 0 };
}

export function validateLine(line: LineInput, currency: string, path: string[]): ValidLine {
  if (line.currency != null && currencyCode(line.currency, [...path, "unitPrice", "currencyIsoCode"]) !== currency) {
    fail([...path, "unitPrice", "currencyIsoCode"], `line currency ${line.currency} differs from the order currency ${currency}`);
  }
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QTY) fail([...path, "quantity"], `quantity must be an integer from 1 to ${MAX_QTY}`);
  const sku = line.sku == null ? null : line.sku.trim();
  if (sku != null && !SKU.test(sku)) fail([...path, "sku"], `sku "${line.sku}" is not valid (1-64 of letters, digits, . _ - /)`);
  if (line.uuid != null && !UUID.test(line.uuid)) fail([...path, "id"], "item id must be a UUID");
  const unitPrice = money(line.unitPrice, currency, [...path, "unitPrice"]);
  const unitOriginalPrice = line.unitOriginalPrice == null ? unitPrice : money(line.unitOriginalPrice, currency, [...path, "unitOriginalPrice"]);
  const taxPercent = line.taxPercent ?? 0;
  if (!Number.isFinite(taxPercent) || taxPercent < 0 || taxPercent > 100) fail([...path, "taxPercent"], "taxPercent must be between 0 and 100");
  return {
    id: line.id == null ? undefined : optionalId(line.id, [...path, "id"])!,
    uuid: line.uuid ?? undefined,
    sku,
    productId: optionalId(line.productId, [...path, "productId"]),
    productVariantId: optionalId(line.productVariantId, [...path, "productVariantId"]),
    productSizeId: optionalId(line.productSizeId, [...path, "productSize", "id"]),
    displayId: optionalId(line.displayId, [...path, "display", "id"]),
    // Names are snapshots and may end in a space ("90's boot leg "): kept verbatim, only checked.
    productName: line.productName && line.productName.trim() && line.productName.length <= MAX_TEXT ? line.productName : fail([...path, "productName"], `productName must be 1 to ${MAX_TEXT} characters`),
    variantName: text(line.variantName, [...path, "variantName"]),
    size: text(line.size, [...path, "size"]),
    deliveryWindowId: optionalId(line.deliveryWindowId, [...path, "deliveryWindow", "id"]),
    quantity: line.quantity,
    unitPrice,
    unitOriginalPrice,
    taxPercent,
    taxGroupId: optionalId(line.taxGroupId, [...path, "taxGroup", "id"]),
  };
}


export interface ValidCreateOrder extends Omit<CreateOrderInput, "lines" | "shippingAddress" | "billingAddress" | "discounts" | "buyerInfo"> {
  currency: string;
  lines: ValidLine[];
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  buyerInfo: { firstName: string | null; lastName: string | null; email: string | null } | null;
  discounts: Array<{ value: number; date: string | null; reason: string | null }>;
}

export function validateCreateOrder(input: CreateOrderInput): ValidCreateOrder {
  const currency = currencyCode(input.currency, ["currencyIsoCode"]);
  if (!Array.isArray(input.lines) || input.lines.length === 0) fail(["lines"], "an order needs at least one line");
  if (input.lines.length > MAX_LINES) fail(["lines"], `an order holds at most ${MAX_LINES} lines`);
  const lines = input.lines.map((l, i) => validateLine(l, currency, ["lines", String(i)]));
  const ids = lines.map((l) => l.id).filter((id) => id != null);
  if (new Set(ids).size !== ids.length) fail(["lines"], "line ids must be unique");
  const accountOrderNumber = input.accountOrderNumber == null ? null : input.accountOrderNumber.trim();
  if (accountOrderNumber != null && !ACCOUNT_ORDER_NUMBER.test(accountOrderNumber)) fail(["accountOrderNumber"], "accountOrderNumber must be 1 to 100 printable characters");
  if (input.senteraId != null && !SENTERA_ID.test(input.senteraId)) fail(["senteraId"], "sentera_id must be 8 to 100 letters, digits, '_' or '-'");
  if (input.number != null && (!Number.isSafeInteger(input.number) || input.number < 1)) fail(["number"], "number must be a positive integer");
  if (input.uuid != null && !UUID.test(input.uuid)) fail(["id"], "id must be a UUID");
  if (input.status != null && !ORDER_STATUSES.includes(input.status)) fail(["status"], `unknown status ${input.status}`);
  const discounts = (input.discounts ?? []).map((d, i) => {
    const path = ["discounts", String(i)];
    if (d.currency != null && currencyCode(d.currency, [...path, "value", "currencyIsoCode"]) !== currency) fail([...path, "value", "currencyIsoCode"], "discount currency differs from the order currency");
    const value = money(d.value, currency, [...path, "value"]);
    if (value <= 0) fail([...path, "value"], "a discount must be positive");
    return { value, date: d.date == null ? null : isoInstant(d.date, [...path, "date"]), reason: text(d.reason, [...path, "reason"]) };
  });
  const buyerInfo = input.buyerInfo
    ? {
        firstName: text(input.buyerInfo.firstName, ["buyerInfo", "firstName"]),
        lastName: text(input.buyerInfo.lastName, ["buyerInfo", "lastName"]),
        email: text(input.buyerInfo.email, ["buyerInfo", "email"]),
      }
    : null;
  for (const h of input.legacyHashes ?? []) if (!/^[A-Za-z0-9+/]{16}$/.test(h)) fail(["legacyHashes"], `"${h}" is not a content hash`);
  return {
    ...input,
    currency,
    lines,
    accountOrderNumber,
    orderDate: input.orderDate == null ? null : isoInstant(input.orderDate, ["orderDate"]),
    createdAt: input.createdAt == null ? null : isoInstant(input.createdAt, ["createdAt"]),
    storeId: optionalId(input.storeId, ["store", "id"]),
    marketId: optionalId(input.marketId, ["market", "id"]),
    pricelistId: optionalId(input.pricelistId, ["pricelist", "id"]),
    b2bAccountId: optionalId(input.b2bAccountId, ["account", "id"]),
    buyerId: optionalId(input.buyerId, ["buyer", "id"]),
    shippingAddress: validateAddress(input.shippingAddress, ["shippingAddress"]),
    billingAddress: validateAddress(input.billingAddress, ["billingAddress"]),
    buyerInfo,
    discounts,
  };
}
