/**
 * Delivery windows ("delwins"): when and from which stock B2B buyers of some markets can order.
 * AtOnce windows sell current stock (starting `daysFromNow` days from now); Preorder windows sell
 * future stock within sales and delivery date ranges (inclusive calendar dates). The kind is fixed
 * at creation; status ACTIVE ⇄ INACTIVE → CANCELLED (terminal). The window's variants (with limits)
 * are a map on its item: a page of windows is one Query, and set/unset is one conditional update.
 */
import type { Deps } from "../deps.ts";
import { wholesaleKeys, type TableKey } from "../db/keys.ts";
import type { Item } from "../db/client.ts";
import type { TransactItem } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { getVariants } from "../catalog/products.ts";
import { Problems, checkName, isId, type PathPart } from "./problems.ts";
import { getRefs, idFor, refKey, type Market, type Store } from "./reference.ts";
import { isCalendarDate } from "./dates.ts";

export type DeliveryWindowKind = "AT_ONCE" | "PREORDER";
export type DeliveryWindowStatus = "ACTIVE" | "INACTIVE" | "CANCELLED";
export type VariantDeliveryType = "STOCK";

export interface VariantLimit {
  value: number;
  type: "HIGH";
  on: "ProductVariant";
}

export interface WindowVariant {
  variantId: number;
  /** Denormalised at set time (a variant never changes product), so no variant read is needed. */
  productId: number;
  type: VariantDeliveryType;
  limit: VariantLimit | null;
  /** Order of addition, so listings are stable. */
  seq: number;
}

export interface DateRange {
  from: string;
  to: string;
}

export interface DeliveryWindow {
  id: number;
  orgId: number;
  kind: DeliveryWindowKind;
  name: string;
  status: DeliveryWindowStatus;
  allocationRuleId: number;
  marketIds: number[];
  campaignIds: number[];
  defaultVariantDeliveryType: VariantDeliveryType;
  deliveryDatesVisible: boolean;
  selectableByBuyers: boolean;
  selectedByDefault: boolean;
  atOnce: { daysFromNow: number | null; selectableDate: boolean } | null;
  preorder: { deliveryDateRange: DateRange; salesDateRange: DateRange; allocationOrder: "FIFO" } | null;
  variants: Record<string, WindowVariant>;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface DeliveryWindowInput {
  name?: string | null;
  status?: DeliveryWindowStatus | null;
  deliveryDatesVisible?: boolean | null;
  selectableByBuyers?: boolean | null;
  selectedByDefault?: boolean | null;
  defaultVariantDeliveryType?: VariantDeliveryType | null;
  allocationRuleId?: number | null;
  marketIds?: number[] | null;
  campaignIds?: number[] | null;
  atOnce?: { daysFromNow?: number | null; selectableDate?: boolean | null } | null;
  preorder?: { deliveryDateRange: DateRange; salesDateRange: DateRange; allocationOrder: "FIFO" } | null;
}

export const MAX_VARIANTS_PER_CALL = 100;
/** Variants one window holds: keeps its item far below DynamoDB's 400 KB limit (~100 B each). */
export const MAX_VARIANTS_PER_WINDOW = 2000;
export const MAX_MARKETS = 50;
export const MAX_DAYS_FROM_NOW = 3650;

export const windowOf = (item: Item): DeliveryWindow => ({
  id: item.id as number,
  orgId: item.orgId as number,
  kind: item.kind as DeliveryWindowKind,
  name: item.name as string,
  status: item.status as DeliveryWindowStatus,
  allocationRuleId: item.allocationRuleId as number,
  marketIds: (item.marketIds as number[] | undefined) ?? [],
  campaignIds: (item.campaignIds as number[] | undefined) ?? [],
  defaultVariantDeliveryType: (item.defaultVariantDeliveryType as VariantDeliveryType | undefined) ?? "STOCK",
  deliveryDatesVisible: item.deliveryDatesVisible === true,
  selectableByBuyers: item.selectableByBuyers === true,
  selectedByDefault: item.selectedByDefault === true,
  atOnce: (item.atOnce as DeliveryWindow["atOnce"] | undefined) ?? null,
  preorder: (item.preorder as DeliveryWindow["preorder"] | undefined) ?? null,
  variants: (item.variants as Record<string, WindowVariant> | undefined) ?? {},
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  version: item.version as number,
});

/** The window's variants in the order they were added. */
export const windowVariants = (w: DeliveryWindow): WindowVariant[] => Object.values(w.variants).sort((a, b) => a.seq - b.seq || a.variantId - b.variantId);

export async function getDeliveryWindow(deps: Deps, orgId: number, id: number, consistent = false): Promise<DeliveryWindow | undefined> {
  if (!isId(id)) return undefined;
  const item = await deps.db.get(wholesaleKeys.delwin(orgId, id), { consistent });
  return item ? windowOf(item) : undefined;
}

export async function getDeliveryWindows(deps: Deps, orgId: number, ids: number[]): Promise<Map<number, DeliveryWindow>> {
  const valid = [...new Set(ids.filter(isId))];
  if (!valid.length) return new Map();
  const items = await deps.db.batchGet(valid.map((id) => wholesaleKeys.delwin(orgId, id)));
  return new Map(items.map((i) => [i.id as number, windowOf(i)]));
}

/**
 * A page of windows in id order. Skipped pages are read with a keys-only projection (DynamoDB
 * has no offset), then exactly the page is read: two Queries for any page of ≤ 1 MB.
 */
export async function listDeliveryWindows(
  deps: Deps,
  orgId: number,
  where: { id?: number | null; status?: DeliveryWindowStatus | null },
  page: { limit: number; page: number },
): Promise<DeliveryWindow[]> {
  if (where.id != null) {
    const one = await getDeliveryWindow(deps, orgId, where.id);
    return one && (where.status == null || one.status === where.status) && page.page === 1 ? [one] : [];
  }
  const pk = wholesaleKeys.delwinsPk(orgId);
  const filter = where.status != null ? { expression: "#st = :st", names: { "#st": "status" }, values: { ":st": where.status } } : undefined;
  let startKey: Item | undefined;
  let skipped = 0;
  const skip = (page.page - 1) * page.limit;
  while (skipped < skip) {
    const part = await deps.db.query({ pk, limit: skip - skipped, startKey, attributes: ["status"], filter });
    skipped += part.items.length;
    startKey = part.lastKey;
    if (!startKey) return [];
  }
  const out: DeliveryWindow[] = [];
  do {
    const part = await deps.db.query({ pk, limit: page.limit - out.length, startKey, filter });
    out.push(...part.items.map(windowOf));
    startKey = part.lastKey;
  } while (startKey && out.length < page.limit);
  return out;
}

/** Markets must exist, be distinct and all belong to one WHOLESALE store (the window's store). */
async function checkMarkets(deps: Deps, orgId: number, problems: Problems, marketIds: number[]): Promise<TableKey[]> {
  const path: PathPart[] = ["input", "markets"];
  if (marketIds.length === 0) problems.add(path, "At least one market is required");
  if (marketIds.length > MAX_MARKETS) problems.add(path, `At most ${MAX_MARKETS} markets`);
  const markets = await getRefs<Market>(deps, orgId, "market", marketIds);
  const stores = await getRefs<Store>(deps, orgId, "store", [...markets.values()].map((m) => m.storeId));
  let storeId: number | undefined;
  const seen = new Set<number>();
  marketIds.forEach((id, i) => {
    const market = markets.get(id);
    if (!market) return problems.add([...path, i, "id"], `Market ${id} does not exist`);
    if (seen.has(id)) return problems.add([...path, i, "id"], `Market ${id} is listed twice`);
    seen.add(id);
    if (stores.get(market.storeId)?.type !== "WHOLESALE") return problems.add([...path, i, "id"], `Market ${id} belongs to store ${market.storeId}, which is not a WHOLESALE store`);
    if (storeId === undefined) storeId = market.storeId;
    else if (market.storeId !== storeId) problems.add([...path, i, "id"], `Market ${id} belongs to store ${market.storeId}, but the other markets belong to store ${storeId}`);
  });
  return [...seen].map((id) => refKey("market", orgId, id));
}

async function checkAllocationRule(deps: Deps, orgId: number, problems: Problems, id: number): Promise<TableKey[]> {
  const found = (await getRefs(deps, orgId, "allocationRule", [id])).has(id);
  if (!found) problems.add(["input", "allocationRule", "id"], `Allocation rule ${id} does not exist`);
  return [refKey("allocationRule", orgId, id)];
}

async function checkCampaigns(deps: Deps, orgId: number, problems: Problems, ids: number[]): Promise<TableKey[]> {
  const found = await getRefs(deps, orgId, "campaign", ids);
  ids.forEach((id, i) => {
    if (!found.has(id)) problems.add(["input", "campaigns", i, "id"], `Campaign ${id} does not exist`);
  });
  return [...new Set(ids)].map((id) => refKey("campaign", orgId, id));
}

function checkRange(problems: Problems, path: PathPart[], range: DateRange): void {
  const okFrom = isCalendarDate(range.from);
  const okTo = isCalendarDate(range.to);
  if (!okFrom) problems.add([...path, "from"], `"${range.from}" is not a date (Y-m-d)`);
  if (!okTo) problems.add([...path, "to"], `"${range.to}" is not a date (Y-m-d)`);
  if (okFrom && okTo && range.from > range.to) problems.add([...path, "to"], `The range ends (${range.to}) before it starts (${range.from})`);
}

function checkAtOnce(problems: Problems, atOnce: NonNullable<DeliveryWindowInput["atOnce"]>): void {
  const d = atOnce.daysFromNow;
  if (d != null && (d < 0 || d > MAX_DAYS_FROM_NOW)) problems.add(["input", "atOnce", "daysFromNow"], `daysFromNow must be between 0 and ${MAX_DAYS_FROM_NOW}`);
}

/**
 * daysFromNow 0 ("begins immediately") is stored as null, as every seed response shows it
 * (API-CONTRACT I-31, the documented alternative; see docs/wholesale.md).
 */
const normalDays = (d: number | null | undefined) => (d == null || d === 0 ? null : d);

export async function createDeliveryWindow(deps: Deps, orgId: number, input: DeliveryWindowInput & { id?: number }): Promise<DeliveryWindow> {
  const problems = new Problems();
  if (input.id !== undefined && !isId(input.id)) problems.add(["input", "id"], "id must be a positive integer");
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  if (input.status == null) problems.add(["input", "status"], "status is required");
  else if (input.status === "CANCELLED") problems.add(["input", "status"], "A delivery window cannot be created cancelled");
  // References first, then the kind and its dates: userErrors follow the input's field order.
  const refProblems = [new Problems(), new Problems(), new Problems()];
  const [rule, markets, campaigns] = await Promise.all([
    input.allocationRuleId == null
      ? (refProblems[0]!.add(["input", "allocationRule"], "allocationRule is required"), Promise.resolve([]))
      : checkAllocationRule(deps, orgId, refProblems[0]!, input.allocationRuleId),
    checkMarkets(deps, orgId, refProblems[1]!, input.marketIds ?? []),
    checkCampaigns(deps, orgId, refProblems[2]!, input.campaignIds ?? []),
  ]);
  for (const p of refProblems) problems.list.push(...p.list);
  if (input.atOnce && input.preorder) problems.add(["input", "preorder"], "Give either atOnce or preorder, not both");
  if (!input.atOnce && !input.preorder) problems.add(["input", "atOnce"], "Give exactly one of atOnce or preorder: it decides the kind of delivery window");
  if (input.atOnce) checkAtOnce(problems, input.atOnce);
  if (input.preorder) {
    checkRange(problems, ["input", "preorder", "deliveryDateRange"], input.preorder.deliveryDateRange);
    checkRange(problems, ["input", "preorder", "salesDateRange"], input.preorder.salesDateRange);
  }
  problems.throwIfAny();

  const now = deps.now().toISOString();
  const window: DeliveryWindow = {
    id: await idFor(deps, orgId, "deliveryWindow", input.id),
    orgId,
    kind: input.atOnce ? "AT_ONCE" : "PREORDER",
    name,
    status: input.status!,
    allocationRuleId: input.allocationRuleId!,
    marketIds: [...input.marketIds!],
    campaignIds: [...(input.campaignIds ?? [])],
    defaultVariantDeliveryType: input.defaultVariantDeliveryType ?? "STOCK",
    deliveryDatesVisible: input.deliveryDatesVisible ?? true,
    selectableByBuyers: input.selectableByBuyers ?? true,
    selectedByDefault: input.selectedByDefault ?? false,
    atOnce: input.atOnce ? { daysFromNow: normalDays(input.atOnce.daysFromNow), selectableDate: input.atOnce.selectableDate ?? false } : null,
    preorder: input.preorder ? { deliveryDateRange: { ...input.preorder.deliveryDateRange }, salesDateRange: { ...input.preorder.salesDateRange }, allocationOrder: input.preorder.allocationOrder } : null,
    variants: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await writeWindow(deps, window, [...markets, ...rule, ...campaigns], undefined);
  return window;
}

export async function updateDeliveryWindow(deps: Deps, orgId: number, id: number, input: DeliveryWindowInput): Promise<DeliveryWindow> {
  const problems = new Problems();
  const current = await getDeliveryWindow(deps, orgId, id, true);
  if (!current) problems.add(["id"], `Delivery window ${id} does not exist`);
  else if (current.status === "CANCELLED") problems.add(["id"], `Delivery window ${id} is cancelled; a cancelled delivery window cannot be changed`);
  problems.throwIfAny();
  const next: DeliveryWindow = { ...current!, variants: current!.variants };
  if (input.name != null) next.name = checkName(problems, ["input", "name"], input.name, true)!;
  if (input.status != null) next.status = input.status;
  if (input.deliveryDatesVisible != null) next.deliveryDatesVisible = input.deliveryDatesVisible;
  if (input.selectableByBuyers != null) next.selectableByBuyers = input.selectableByBuyers;
  if (input.selectedByDefault != null) next.selectedByDefault = input.selectedByDefault;
  if (input.defaultVariantDeliveryType != null) next.defaultVariantDeliveryType = input.defaultVariantDeliveryType;
  const guards: TableKey[] = [];
  if (input.atOnce) {
    if (current!.kind !== "AT_ONCE") problems.add(["input", "atOnce"], `Delivery window ${id} is a preorder window; its kind cannot change`);
    else {
      checkAtOnce(problems, input.atOnce);
      next.atOnce = {
        daysFromNow: input.atOnce.daysFromNow !== undefined ? normalDays(input.atOnce.daysFromNow) : current!.atOnce!.daysFromNow,
        selectableDate: input.atOnce.selectableDate ?? current!.atOnce!.selectableDate,
      };
    }
  }
  if (input.preorder) {
    if (current!.kind !== "PREORDER") problems.add(["input", "preorder"], `Delivery window ${id} is an atOnce window; its kind cannot change`);
    else {
      checkRange(problems, ["input", "preorder", "deliveryDateRange"], input.preorder.deliveryDateRange);
      checkRange(problems, ["input", "preorder", "salesDateRange"], input.preorder.salesDateRange);
      next.preorder = { deliveryDateRange: { ...input.preorder.deliveryDateRange }, salesDateRange: { ...input.preorder.salesDateRange }, allocationOrder: input.preorder.allocationOrder };
    }
  }
  if (input.marketIds != null) {
    guards.push(...(await checkMarkets(deps, orgId, problems, input.marketIds)));
    next.marketIds = [...input.marketIds];
  }
  if (input.allocationRuleId != null) {
    guards.push(...(await checkAllocationRule(deps, orgId, problems, input.allocationRuleId)));
    next.allocationRuleId = input.allocationRuleId;
  }
  if (input.campaignIds != null) {
    guards.push(...(await checkCampaigns(deps, orgId, problems, input.campaignIds)));
    next.campaignIds = [...input.campaignIds];
  }
  problems.throwIfAny();
  next.updatedAt = deps.now().toISOString();
  next.version = current!.version + 1;
  await writeWindow(deps, next, guards, current!.version);
  return next;
}

async function writeWindow(deps: Deps, window: DeliveryWindow, mustExist: TableKey[], expectedVersion: number | undefined): Promise<void> {
  const item = { ...wholesaleKeys.delwin(window.orgId, window.id), type: "DeliveryWindow", ...window };
  const condition =
    expectedVersion === undefined
      ? { ConditionExpression: "attribute_not_exists(pk)" }
      : { ConditionExpression: "#v = :v", ExpressionAttributeNames: { "#v": "version" }, ExpressionAttributeValues: { ":v": expectedVersion } };
  const unique = [...new Map(mustExist.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  const tx: TransactItem[] = [{ Put: { Item: item, ...condition } }, ...unique.map((Key) => ({ ConditionCheck: { Key, ConditionExpression: "attribute_exists(pk)" } }))];
  try {
    await deps.db.transact(tx);
  } catch (error) {
    const failed = (error as { failedIndexes?: number[] }).failedIndexes ?? [];
    if (error instanceof ConflictError && failed.length && !failed.includes(0)) throw new ConflictError("A market, allocation rule or campaign of the delivery window was deleted meanwhile; retry");
    if (error instanceof ConflictError && expectedVersion === undefined) throw new ConflictError(`Delivery window ${window.id} already exists`);
    if (error instanceof ConflictError) throw new ConflictError(`Delivery window ${window.id} was changed concurrently; read it again and retry`);
    throw error;
  }
}

export interface SetVariantInput {
  variantId: number;
  type: VariantDeliveryType;
  limit?: VariantLimit | null;
}

/** Reads the window for a variants change: it must exist and not be cancelled. */
async function windowForVariants(deps: Deps, orgId: number, problems: Problems, id: number): Promise<DeliveryWindow | undefined> {
  const window = await getDeliveryWindow(deps, orgId, id, true);
  if (!window) problems.add(["input", "deliveryWindow", "id"], `Delivery window ${id} does not exist`);
  else if (window.status === "CANCELLED") problems.add(["input", "deliveryWindow", "id"], `Delivery window ${id} is cancelled`);
  return window;
}

/** Adds or replaces (by variant) up to 100 variants; variants not listed are kept (API-CONTRACT V2). */
export async function setDeliveryWindowVariants(deps: Deps, orgId: number, windowId: number, variants: SetVariantInput[]): Promise<DeliveryWindow> {
  const problems = new Problems();
  if (variants.length === 0) problems.add(["input", "variants"], "Give at least one variant");
  if (variants.length > MAX_VARIANTS_PER_CALL) problems.add(["input", "variants"], `At most ${MAX_VARIANTS_PER_CALL} variants can be set in one call (got ${variants.length})`);
  const [window, found] = await Promise.all([
    windowForVariants(deps, orgId, problems, windowId),
    variants.length <= MAX_VARIANTS_PER_CALL ? getVariants(deps, orgId, variants.map((v) => v.variantId)) : Promise.resolve([]),
  ]);
  const byId = new Map(found.map((v) => [v.id, v]));
  const seen = new Set<number>();
  if (variants.length <= MAX_VARIANTS_PER_CALL) {
    variants.forEach((v, i) => {
      const path = ["input", "variants", i];
      if (!byId.has(v.variantId)) problems.add([...path, "productVariant", "id"], `Product variant ${v.variantId} does not exist`);
      else if (seen.has(v.variantId)) problems.add([...path, "productVariant", "id"], `Product variant ${v.variantId} is listed twice`);
      seen.add(v.variantId);
      if (v.limit && (!Number.isSafeInteger(v.limit.value) || v.limit.value < 0)) problems.add([...path, "limit", "value"], "limit value must be a non-negative integer");
    });
  }
  if (window) {
    const total = new Set([...Object.keys(window.variants).map(Number), ...seen]).size;
    if (total > MAX_VARIANTS_PER_WINDOW) problems.add(["input", "variants"], `A delivery window holds at most ${MAX_VARIANTS_PER_WINDOW} variants (this would make ${total})`);
  }
  problems.throwIfAny();
  let seq = Math.max(0, ...Object.values(window!.variants).map((v) => v.seq));
  const entries = variants.map((v) => {
    const existing = window!.variants[String(v.variantId)];
    const entry: WindowVariant = { variantId: v.variantId, productId: byId.get(v.variantId)!.productId, type: v.type, limit: v.limit ? { ...v.limit } : null, seq: existing?.seq ?? ++seq };
    return entry;
  });
  const names: Record<string, string> = { "#vs": "variants", "#ver": "version", "#u": "updatedAt" };
  const values: Record<string, unknown> = { ":ver": window!.version, ":one": 1, ":u": deps.now().toISOString() };
  const sets = entries.map((e, i) => {
    names[`#k${i}`] = String(e.variantId);
    values[`:e${i}`] = e;
    return `#vs.#k${i} = :e${i}`;
  });
  return windowOf(
    await conditional(deps, windowId, () =>
      deps.db.update(wholesaleKeys.delwin(orgId, windowId), `SET ${sets.join(", ")}, #ver = #ver + :one, #u = :u`, { condition: "#ver = :ver", names, values }),
    ),
  );
}

/** Removes every listed variant (API-CONTRACT I-36); a variant not in the window is an error. */
export async function unsetDeliveryWindowVariants(deps: Deps, orgId: number, windowId: number, variantIds: number[]): Promise<DeliveryWindow> {
  const problems = new Problems();
  if (variantIds.length === 0) problems.add(["input", "productVariants"], "Give at least one variant");
  if (variantIds.length > MAX_VARIANTS_PER_CALL) problems.add(["input", "productVariants"], `At most ${MAX_VARIANTS_PER_CALL} variants can be removed in one call`);
  const window = await windowForVariants(deps, orgId, problems, windowId);
  const seen = new Set<number>();
  if (window) {
    variantIds.forEach((id, i) => {
      if (!(String(id) in window.variants)) problems.add(["input", "productVariants", i, "id"], `Product variant ${id} is not in delivery window ${windowId}`);
      else if (seen.has(id)) problems.add(["input", "productVariants", i, "id"], `Product variant ${id} is listed twice`);
      seen.add(id);
    });
  }
  problems.throwIfAny();
  const names: Record<string, string> = { "#vs": "variants", "#ver": "version", "#u": "updatedAt" };
  const removes = [...seen].map((id, i) => {
    names[`#k${i}`] = String(id);
    return `#vs.#k${i}`;
  });
  return windowOf(
    await conditional(deps, windowId, () =>
      deps.db.update(wholesaleKeys.delwin(orgId, windowId), `SET #ver = #ver + :one, #u = :u REMOVE ${removes.join(", ")}`, {
        condition: "#ver = :ver",
        names,
        values: { ":ver": window!.version, ":one": 1, ":u": deps.now().toISOString() },
      }),
    ),
  );
}

/** A version-conditioned update; a concurrent change becomes a clear CONFLICT. */
async function conditional(deps: Deps, windowId: number, run: () => Promise<Item>): Promise<Item> {
  void deps;
  try {
    return await run();
  } catch (error) {
    if ((error as { name?: string }).name === "ConditionalCheckFailedException") {
      throw new ConflictError(`Delivery window ${windowId} was changed concurrently; read it again and retry`);
    }
    throw error;
  }
}
