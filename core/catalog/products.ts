/**
 * Products, variants and SKUs of an organization. A SKU (Centra "productSize") belongs to one
 * variant of one product; its code is unique per organization: the SKU item is keyed by the code
 * and written with attribute_not_exists in the same transaction as the product, so two products
 * can never claim one code. Product names are mirrored into a compact name index (buckets of 500
 * ids in one partition) that serves `contains` searches without a Scan.
 */
import type { Deps } from "../deps.ts";
import { catalogKeys, keys } from "../db/keys.ts";
import type { TransactItem } from "../db/client.ts";
import { ConflictError, ValidationError } from "../errors.ts";

export interface Product {
  id: number;
  orgId: number;
  name: string;
  createdAt: string;
  updatedAt: string;
}
export interface ProductVariant {
  id: number;
  orgId: number;
  productId: number;
  name: string;
}
export interface Sku {
  /** Centra productSize id. */
  id: number;
  orgId: number;
  productId: number;
  variantId: number;
  sku: string;
  size: string | null;
}

export interface CreateProductInput {
  id?: number;
  name: string;
  variants?: Array<{ id?: number; name: string; sizes?: Array<{ id?: number; sku: string; size?: string | null }> }>;
}

/** Product ids per name-index bucket: 500 names of ≤ 200 chars stay far below the 400 KB item limit. */
export const NAME_BUCKET = 500;
export const MAX_NAME = 200;
/** A SKU code as it appears in CSV files: printable, no separators that break the file format. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/;

export function validateSkuCode(code: string, path = "sku"): string {
  const trimmed = code.trim();
  if (!SKU_PATTERN.test(trimmed)) {
    throw new ValidationError(`${path} "${code}" is not a valid SKU (1-64 of letters, digits, . _ - /)`, { path });
  }
  return trimmed;
}

function validateName(name: string, path: string): string {
  const trimmed = (name ?? "").trim();
  if (!trimmed) throw new ValidationError(`${path} must not be empty`, { path });
  if (trimmed.length > MAX_NAME) throw new ValidationError(`${path} is longer than ${MAX_NAME} characters`, { path });
  return trimmed;
}

function validateFixedId(id: number | undefined, path: string): void {
  if (id !== undefined && (!Number.isSafeInteger(id) || id <= 0)) throw new ValidationError(`${path} must be a positive integer`, { path });
}

/** Takes a fixed id (and raises the counter above it) or the next one. */
async function idFor(deps: Deps, orgId: number, entity: string, fixed: number | undefined): Promise<number> {
  if (fixed === undefined) return deps.db.nextId(orgId, entity);
  await deps.db.raiseCounter(keys.counter(orgId, entity), fixed);
  return fixed;
}

export async function createProduct(
  deps: Deps,
  orgId: number,
  input: CreateProductInput,
): Promise<{ product: Product; variants: ProductVariant[]; skus: Sku[] }> {
  const name = validateName(input.name, "name");
  validateFixedId(input.id, "id");
  const variantsIn = input.variants ?? [];
  const seen = new Set<string>();
  variantsIn.forEach((v, vi) => {
    validateName(v.name, `variants.${vi}.name`);
    validateFixedId(v.id, `variants.${vi}.id`);
    (v.sizes ?? []).forEach((s, si) => {
      const code = validateSkuCode(s.sku, `variants.${vi}.sizes.${si}.sku`);
      validateFixedId(s.id, `variants.${vi}.sizes.${si}.id`);
      if (seen.has(code)) throw new ValidationError(`SKU "${code}" appears twice in the input`, { path: `variants.${vi}.sizes.${si}.sku` });
      seen.add(code);
    });
  });
  // Fail fast with a clear message before taking ids (the transaction re-checks atomically).
  if (seen.size) {
    const existing = await getSkus(deps, orgId, [...seen]);
    if (existing.size) throw new ConflictError(`SKU ${[...existing.keys()].map((c) => `"${c}"`).join(", ")} already exists in this organization`);
  }

  const now = deps.now().toISOString();
  const product: Product = { id: await idFor(deps, orgId, "product", input.id), orgId, name, createdAt: now, updatedAt: now };
  const variants: ProductVariant[] = [];
  const skus: Sku[] = [];
  for (const v of variantsIn) {
    const variant: ProductVariant = { id: await idFor(deps, orgId, "variant", v.id), orgId, productId: product.id, name: v.name.trim() };
    variants.push(variant);
    for (const s of v.sizes ?? []) {
      const sku: Sku = {
        id: await idFor(deps, orgId, "sku", s.id),
        orgId,
        productId: product.id,
        variantId: variant.id,
        sku: s.sku.trim(),
        size: s.size?.trim() || null,
      };
      skus.push(sku);
    }
  }

  const bucket = Math.floor(product.id / NAME_BUCKET);
  const items: TransactItem[] = [
    {
      Put: {
        Item: { ...catalogKeys.product(orgId, product.id), type: "Product", ...product },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    },
    {
      Update: {
        Key: catalogKeys.productNameBucket(orgId, bucket),
        UpdateExpression: "SET #n = :name",
        ExpressionAttributeNames: { "#n": `n${product.id}` },
        ExpressionAttributeValues: { ":name": name },
      },
    },
    ...variants.map((variant) => ({
      Put: {
        Item: { ...catalogKeys.variant(orgId, variant.id), ...catalogKeys.variantsOfProduct(orgId, product.id, variant.id), type: "ProductVariant", ...variant },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    })),
    ...skus.map((sku) => ({
      Put: {
        Item: { ...catalogKeys.sku(orgId, sku.sku), ...catalogKeys.skuById(orgId, sku.id), ...catalogKeys.skusOfVariant(orgId, sku.variantId, sku.sku), type: "Sku", ...sku },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    })),
  ];
  const describe = (index: number): string => {
    if (index === 0) return `product ${product.id} already exists`;
    const skuIndex = index - 2 - variants.length;
    if (skuIndex >= 0) return `SKU "${skus[skuIndex]!.sku}" already exists in this organization`;
    return `variant ${variants[index - 2]!.id} already exists`;
  };
  if (items.length <= 100) {
    try {
      await deps.db.transact(items);
    } catch (error) {
      const failed = (error as { failedIndexes?: number[] }).failedIndexes;
      if (error instanceof ConflictError && failed?.length) throw new ConflictError(failed.map(describe).join("; "));
      throw error;
    }
  } else {
    // A product with more than ~98 SKUs cannot be one transaction: SKUs (the uniqueness guards)
    // go first in chunks, the product and its name last, so a conflict never leaves a visible
    // product with missing SKUs; claimed codes of a failed attempt are released.
    const [productPut, namePut, ...rest] = items;
    const written: TransactItem[] = [];
    try {
      for (let i = 0; i < rest.length; i += 100) {
        const part = rest.slice(i, i + 100);
        await deps.db.transact(part);
        written.push(...part);
      }
      await deps.db.transact([productPut!, namePut!]);
    } catch (error) {
      for (const item of written) {
        const key = item.Put!.Item as { pk: string; sk: string };
        await deps.db.delete({ pk: key.pk, sk: key.sk });
      }
      throw error instanceof ConflictError ? new ConflictError(`product ${product.id}: a variant or SKU already exists`) : error;
    }
  }
  return { product, variants, skus };
}

const productOf = (item: Record<string, unknown>): Product => ({
  id: item.id as number,
  orgId: item.orgId as number,
  name: item.name as string,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
});
const variantOf = (item: Record<string, unknown>): ProductVariant => ({
  id: item.id as number,
  orgId: item.orgId as number,
  productId: item.productId as number,
  name: item.name as string,
});
export const skuOf = (item: Record<string, unknown>): Sku => ({
  id: item.id as number,
  orgId: item.orgId as number,
  productId: item.productId as number,
  variantId: item.variantId as number,
  sku: item.sku as string,
  size: (item.size as string | null | undefined) ?? null,
});

/** Products by id, in the order of `ids` (unknown ids are skipped). */
export async function getProducts(deps: Deps, orgId: number, ids: number[]): Promise<Product[]> {
  const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0);
  if (!valid.length) return [];
  const found = new Map((await deps.db.batchGet(valid.map((id) => catalogKeys.product(orgId, id)))).map((i) => [i.id as number, productOf(i)]));
  return valid.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** Variants by id, in the order of `ids` (unknown ids are skipped). */
export async function getVariants(deps: Deps, orgId: number, ids: number[]): Promise<ProductVariant[]> {
  const valid = ids.filter((id) => Number.isSafeInteger(id) && id > 0);
  if (!valid.length) return [];
  const found = new Map((await deps.db.batchGet(valid.map((id) => catalogKeys.variant(orgId, id)))).map((i) => [i.id as number, variantOf(i)]));
  return valid.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

/** The variants of each product (id order); every requested product gets an entry. */
export async function variantsOfProducts(deps: Deps, orgId: number, productIds: number[]): Promise<Map<number, ProductVariant[]>> {
  const unique = [...new Set(productIds)];
  const lists = await Promise.all(
    unique.map((productId) =>
      deps.db.queryAll({ index: "gsi1", pk: catalogKeys.variantsOfProductPk(orgId, productId) }).then((items) => items.map(variantOf)),
    ),
  );
  return new Map(unique.map((id, i) => [id, lists[i]!]));
}

/** The SKUs of each variant (code order); every requested variant gets an entry. */
export async function skusOfVariants(deps: Deps, orgId: number, variantIds: number[]): Promise<Map<number, Sku[]>> {
  const unique = [...new Set(variantIds)];
  const lists = await Promise.all(
    unique.map((variantId) => deps.db.queryAll({ index: "gsi2", pk: catalogKeys.skusOfVariantPk(orgId, variantId) }).then((items) => items.map(skuOf))),
  );
  return new Map(unique.map((id, i) => [id, lists[i]!]));
}

/** SKUs by code (exact, case-sensitive as stored); unknown codes are absent from the map. */
export async function getSkus(deps: Deps, orgId: number, codes: string[]): Promise<Map<string, Sku>> {
  const clean = [...new Set(codes.map((c) => c.trim()).filter((c) => SKU_PATTERN.test(c)))];
  if (!clean.length) return new Map();
  const items = await deps.db.batchGet(clean.map((c) => catalogKeys.sku(orgId, c)));
  return new Map(items.map((i) => [i.sku as string, skuOf(i)]));
}

/** SKUs by their numeric (productSize) id. */
export async function getSkusById(deps: Deps, orgId: number, ids: number[]): Promise<Map<number, Sku>> {
  const unique = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
  const found = await Promise.all(unique.map((id) => deps.db.query({ index: "gsi1", pk: catalogKeys.skuByIdPk(orgId, id), limit: 1 })));
  return new Map(found.flatMap((page) => page.items.map((i) => [i.id as number, skuOf(i)] as [number, Sku])));
}

export interface ProductFilter {
  nameContains?: string;
  nameEquals?: string;
  limit?: number;
  offset?: number;
}

/**
 * Products whose name contains (case-insensitive) or equals (exact) the filter, in id order.
 * Reads the name index (one Query over ~N/500 compact items: 10,000 products ≈ 20 items, one
 * page), filters in memory, then fetches only the page's products.
 */
export async function searchProducts(deps: Deps, orgId: number, filter: ProductFilter = {}): Promise<Product[]> {
  const limit = Math.max(0, Math.min(filter.limit ?? 100, 1000));
  const offset = Math.max(0, filter.offset ?? 0);
  const buckets = await deps.db.queryAll({ pk: catalogKeys.productNamesPk(orgId) });
  const needle = filter.nameContains?.toLocaleLowerCase();
  const matches: number[] = [];
  for (const bucket of buckets) {
    for (const [attr, value] of Object.entries(bucket)) {
      if (attr.charCodeAt(0) !== 110 /* n */ || typeof value !== "string" || !/^n\d+$/.test(attr)) continue;
      if (filter.nameEquals !== undefined && value !== filter.nameEquals) continue;
      if (needle !== undefined && !value.toLocaleLowerCase().includes(needle)) continue;
      matches.push(Number(attr.slice(1)));
    }
  }
  matches.sort((a, b) => a - b);
  return getProducts(deps, orgId, matches.slice(offset, offset + limit));
}
