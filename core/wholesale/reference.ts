/**
 * The wholesale reference data a merchant sets up before taking B2B orders (seed 002 "assumes those
 * parts of Centra are previously set up"): stores (WHOLESALE or DIRECT_TO_CONSUMER), markets and
 * pricelists of a store, allocation rules (an ordered list of warehouses) and campaigns. All of a
 * tenant's reference items share one partition: few per tenant, read together.
 */
import type { Deps } from "../deps.ts";
import { keys, wholesaleKeys, type TableKey } from "../db/keys.ts";
import type { TransactItem } from "../db/client.ts";
import { ConflictError } from "../errors.ts";
import { findCurrency } from "../geo/countries.ts";
import { getWarehouses } from "../catalog/warehouses.ts";
import { Problems, checkName, isId } from "./problems.ts";

export type StoreType = "WHOLESALE" | "DIRECT_TO_CONSUMER";

export interface Store {
  id: number;
  orgId: number;
  name: string;
  type: StoreType;
}
export interface Market {
  id: number;
  orgId: number;
  storeId: number;
  name: string;
}
export interface Pricelist {
  id: number;
  orgId: number;
  storeId: number;
  name: string;
  currency: string;
}
export interface AllocationRule {
  id: number;
  orgId: number;
  name: string;
  /** Warehouses in allocation order: stock is taken from the first that has it. */
  warehouseIds: number[];
}
export interface Campaign {
  id: number;
  orgId: number;
  name: string;
}

export type RefKind = "store" | "market" | "pricelist" | "allocationRule" | "campaign";
const PREFIX: Record<RefKind, string> = { store: "STORE#", market: "MARKET#", pricelist: "PRICELIST#", allocationRule: "AR#", campaign: "CAMPAIGN#" };
const TYPE: Record<RefKind, string> = { store: "Store", market: "Market", pricelist: "Pricelist", allocationRule: "AllocationRule", campaign: "Campaign" };
export const MAX_RULE_WAREHOUSES = 50;

export const refKey = (kind: RefKind, orgId: number, id: number): TableKey => wholesaleKeys[kind](orgId, id);

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as T;
};

/** Reference items of one kind by id (unknown ids absent from the map). */
export async function getRefs<T>(deps: Deps, orgId: number, kind: RefKind, ids: number[]): Promise<Map<number, T>> {
  const valid = [...new Set(ids.filter(isId))];
  if (!valid.length) return new Map();
  const items = await deps.db.batchGet(valid.map((id) => refKey(kind, orgId, id)));
  return new Map(items.map((i) => [i.id as number, strip<T>(i)]));
}

export async function listRefs<T>(deps: Deps, orgId: number, kind: RefKind): Promise<T[]> {
  const items = await deps.db.queryAll({ pk: wholesaleKeys.refPk(orgId), skBeginsWith: PREFIX[kind] });
  return items.map((i) => strip<T>(i));
}

export async function listStores(deps: Deps, orgId: number, where: { id?: number | null; type?: StoreType | null } = {}): Promise<Store[]> {
  const stores = where.id != null ? [...(await getRefs<Store>(deps, orgId, "store", [where.id])).values()] : await listRefs<Store>(deps, orgId, "store");
  return stores.filter((s) => where.type == null || s.type === where.type);
}

export async function listMarkets(deps: Deps, orgId: number, where: { id?: number | null; storeId?: number | null } = {}): Promise<Market[]> {
  const markets = where.id != null ? [...(await getRefs<Market>(deps, orgId, "market", [where.id])).values()] : await listRefs<Market>(deps, orgId, "market");
  return markets.filter((m) => where.storeId == null || m.storeId === where.storeId);
}

/** Takes a fixed id (raising the counter above it, so later ids never collide) or the next one. */
async function idFor(deps: Deps, orgId: number, entity: string, fixed: number | undefined): Promise<number> {
  if (fixed === undefined) return deps.db.nextId(orgId, entity);
  await deps.db.raiseCounter(keys.counter(orgId, entity), fixed);
  return fixed;
}

/** Writes a new item; `mustExist` are the referenced items, re-checked in the same transaction. */
async function putNew(deps: Deps, kind: RefKind, item: { id: number; orgId: number }, mustExist: TableKey[] = []): Promise<void> {
  const tx: TransactItem[] = [
    { Put: { Item: { ...refKey(kind, item.orgId, item.id), entity: TYPE[kind], ...item }, ConditionExpression: "attribute_not_exists(pk)" } },
    ...mustExist.map((Key) => ({ ConditionCheck: { Key, ConditionExpression: "attribute_exists(pk)" } })),
  ];
  try {
    await deps.db.transact(tx);
  } catch (error) {
    const failed = (error as { failedIndexes?: number[] }).failedIndexes ?? [];
    if (error instanceof ConflictError && failed.includes(0)) throw new ConflictError(`${TYPE[kind]} ${item.id} already exists`);
    throw error;
  }
}

function checkFixedId(problems: Problems, id: number | undefined): void {
  if (id !== undefined && !isId(id)) problems.add(["input", "id"], "id must be a positive integer");
}

export async function createStore(deps: Deps, orgId: number, input: { id?: number; name: string; type: StoreType }): Promise<Store> {
  const problems = new Problems();
  checkFixedId(problems, input.id);
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  if (input.type !== "WHOLESALE" && input.type !== "DIRECT_TO_CONSUMER") problems.add(["input", "type"], "type must be WHOLESALE or DIRECT_TO_CONSUMER");
  problems.throwIfAny();
  const store: Store = { id: await idFor(deps, orgId, "store", input.id), orgId, name, type: input.type };
  await putNew(deps, "store", store);
  return store;
}

/** The store a market or pricelist is created in must exist (in this tenant). */
async function requireStore(deps: Deps, orgId: number, problems: Problems, storeId: number): Promise<Store | undefined> {
  const store = (await getRefs<Store>(deps, orgId, "store", [storeId])).get(storeId);
  if (!store) problems.add(["input", "store", "id"], `Store ${storeId} does not exist`);
  return store;
}

export async function createMarket(deps: Deps, orgId: number, input: { id?: number; storeId: number; name: string }): Promise<Market> {
  const problems = new Problems();
  checkFixedId(problems, input.id);
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  await requireStore(deps, orgId, problems, input.storeId);
  problems.throwIfAny();
  const market: Market = { id: await idFor(deps, orgId, "market", input.id), orgId, storeId: input.storeId, name };
  await putNew(deps, "market", market, [refKey("store", orgId, input.storeId)]);
  return market;
}

export async function createPricelist(deps: Deps, orgId: number, input: { id?: number; storeId: number; name: string; currency: string }): Promise<Pricelist> {
  const problems = new Problems();
  checkFixedId(problems, input.id);
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  const currency = findCurrency(input.currency ?? "");
  if (!currency) problems.add(["input", "currencyIsoCode"], `Unknown currency ${input.currency}`);
  await requireStore(deps, orgId, problems, input.storeId);
  problems.throwIfAny();
  const pricelist: Pricelist = { id: await idFor(deps, orgId, "pricelist", input.id), orgId, storeId: input.storeId, name, currency: currency!.code };
  await putNew(deps, "pricelist", pricelist, [refKey("store", orgId, input.storeId)]);
  return pricelist;
}

export async function createAllocationRule(deps: Deps, orgId: number, input: { id?: number; name: string; warehouseIds: number[] }): Promise<AllocationRule> {
  const problems = new Problems();
  checkFixedId(problems, input.id);
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  const ids = input.warehouseIds ?? [];
  if (ids.length > MAX_RULE_WAREHOUSES) problems.add(["input", "warehouses"], `An allocation rule has at most ${MAX_RULE_WAREHOUSES} warehouses`);
  const found = new Set((await getWarehouses(deps, orgId, ids.filter(isId))).map((w) => w.id));
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    if (seen.has(id)) problems.add(["input", "warehouses", i, "id"], `Warehouse ${id} is listed twice`);
    else if (!found.has(id)) problems.add(["input", "warehouses", i, "id"], `Warehouse ${id} does not exist`);
    seen.add(id);
  });
  problems.throwIfAny();
  const rule: AllocationRule = { id: await idFor(deps, orgId, "allocationRule", input.id), orgId, name, warehouseIds: [...ids] };
  await putNew(deps, "allocationRule", rule);
  return rule;
}

export async function createCampaign(deps: Deps, orgId: number, input: { id?: number; name: string }): Promise<Campaign> {
  const problems = new Problems();
  checkFixedId(problems, input.id);
  const name = checkName(problems, ["input", "name"], input.name, true)!;
  problems.throwIfAny();
  const campaign: Campaign = { id: await idFor(deps, orgId, "campaign", input.id), orgId, name };
  await putNew(deps, "campaign", campaign);
  return campaign;
}

export { idFor };
