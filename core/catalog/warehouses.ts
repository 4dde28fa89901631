/**
 * Warehouses of an organization and their bins. Slotting decides where stock sits: a `static`
 * warehouse keeps one quantity per SKU (no locations), a `dynamic` one keeps quantities per bin.
 * Every warehouse has the reserved "Unassigned" bin, created with it in one transaction, so a
 * stock row without a location always has somewhere to go.
 */
import type { Deps } from "../deps.ts";
import { catalogKeys, keys } from "../db/keys.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";

export type Slotting = "static" | "dynamic";

export interface Warehouse {
  id: number;
  orgId: number;
  name: string;
  slotting: Slotting;
  createdAt: string;
}

export interface Bin {
  orgId: number;
  warehouseId: number;
  name: string;
  /** True for the reserved bin that receives stock without a location. */
  unassigned: boolean;
  createdAt: string;
}

export const UNASSIGNED_BIN = "Unassigned";
/** Bin names as warehouse labels use them (e.g. "A-01-03"). */
export const BIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._\-/]{0,47}$/;

const warehouseOf = (item: Record<string, unknown>): Warehouse => ({
  id: item.id as number,
  orgId: item.orgId as number,
  name: item.name as string,
  slotting: item.slotting as Slotting,
  createdAt: item.createdAt as string,
});
const binOf = (item: Record<string, unknown>): Bin => ({
  orgId: item.orgId as number,
  warehouseId: item.warehouseId as number,
  name: item.name as string,
  unassigned: item.unassigned === true,
  createdAt: item.createdAt as string,
});

export async function createWarehouse(
  deps: Deps,
  orgId: number,
  input: { id?: number; name: string; slotting: Slotting },
): Promise<Warehouse> {
  const name = (input.name ?? "").trim();
  if (!name || name.length > 120) throw new ValidationError("name must be 1 to 120 characters", { path: "name" });
  if (input.slotting !== "static" && input.slotting !== "dynamic") {
    throw new ValidationError('slotting must be "static" or "dynamic"', { path: "slotting" });
  }
  if (input.id !== undefined && (!Number.isSafeInteger(input.id) || input.id <= 0)) {
    throw new ValidationError("id must be a positive integer", { path: "id" });
  }
  let id: number;
  if (input.id === undefined) id = await deps.db.nextId(orgId, "warehouse");
  else {
    await deps.db.raiseCounter(keys.counter(orgId, "warehouse"), input.id);
    id = input.id;
  }
  const createdAt = deps.now().toISOString();
  const warehouse: Warehouse = { id, orgId, name, slotting: input.slotting, createdAt };
  try {
    await deps.db.transact([
      { Put: { Item: { ...catalogKeys.warehouse(orgId, id), type: "Warehouse", ...warehouse }, ConditionExpression: "attribute_not_exists(pk)" } },
      {
        Put: {
          Item: { ...catalogKeys.bin(orgId, id, UNASSIGNED_BIN), type: "Bin", orgId, warehouseId: id, name: UNASSIGNED_BIN, unassigned: true, createdAt },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ]);
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(`warehouse ${id} already exists`);
    throw error;
  }
  return warehouse;
}

/** Warehouses by id, in the order of `ids`; unknown ids (or another organization's) are skipped. */
export async function getWarehouses(deps: Deps, orgId: number, ids: number[]): Promise<Warehouse[]> {
  const valid = [...new Set(ids)].filter((id) => Number.isSafeInteger(id) && id > 0);
  if (!valid.length) return [];
  const found = new Map((await deps.db.batchGet(valid.map((id) => catalogKeys.warehouse(orgId, id)))).map((i) => [i.id as number, warehouseOf(i)]));
  return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
}

export async function getWarehouse(deps: Deps, orgId: number, id: number): Promise<Warehouse | undefined> {
  if (!Number.isSafeInteger(id) || id <= 0) return undefined;
  const item = await deps.db.get(catalogKeys.warehouse(orgId, id));
  return item ? warehouseOf(item) : undefined;
}

export async function requireWarehouse(deps: Deps, orgId: number, id: number): Promise<Warehouse> {
  const warehouse = await getWarehouse(deps, orgId, id);
  if (!warehouse) throw new NotFoundError(`warehouse ${id} not found`, { warehouseId: id });
  return warehouse;
}

/** All warehouses of an organization, in id order (an organization has few). */
export async function listWarehouses(deps: Deps, orgId: number): Promise<Warehouse[]> {
  return (await deps.db.queryAll({ pk: catalogKeys.warehousesPk(orgId) })).map(warehouseOf);
}

/** Adds a bin to a dynamic warehouse (idempotent for an existing name). */
export async function createBin(deps: Deps, orgId: number, warehouseId: number, binName: string): Promise<Bin> {
  const warehouse = await requireWarehouse(deps, orgId, warehouseId);
  if (warehouse.slotting !== "dynamic") throw new ValidationError(`warehouse ${warehouseId} uses static slotting and has no bins`, { path: "warehouse_id" });
  const name = binName.trim();
  if (!BIN_PATTERN.test(name)) throw new ValidationError(`bin "${binName}" is not a valid bin name (1-48 of letters, digits, space . _ - /)`, { path: "name" });
  const bin: Bin = { orgId, warehouseId, name, unassigned: name === UNASSIGNED_BIN, createdAt: deps.now().toISOString() };
  try {
    await deps.db.put({ ...catalogKeys.bin(orgId, warehouseId, name), type: "Bin", ...bin }, { condition: "attribute_not_exists(pk)" });
  } catch (error) {
    if ((error as { name?: string }).name !== "ConditionalCheckFailedException") throw error;
  }
  return bin;
}

export async function listBins(deps: Deps, orgId: number, warehouseId: number): Promise<Bin[]> {
  return (await deps.db.queryAll({ pk: catalogKeys.binsPk(orgId, warehouseId) })).map(binOf);
}

/** Bins by name (a chunk's locations in one BatchGetItem); missing names are absent. */
export async function getBins(deps: Deps, orgId: number, warehouseId: number, names: string[]): Promise<Map<string, Bin>> {
  const unique = [...new Set(names)].filter((n) => BIN_PATTERN.test(n));
  if (!unique.length) return new Map();
  const items = await deps.db.batchGet(unique.map((n) => catalogKeys.bin(orgId, warehouseId, n)));
  return new Map(items.map((i) => [i.name as string, binOf(i)]));
}
